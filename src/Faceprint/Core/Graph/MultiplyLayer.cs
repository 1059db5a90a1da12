using System.Numerics;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Element-wise product of two same-shaped values (e.g. the path masks of a tree-structured network).</summary>
public sealed class MultiplyLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public MultiplyLayer(string name, int a, int b, int output) : base(name, [a, b], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0] != inputs[1]) throw new InvalidOperationException($"{Name}: cannot multiply {inputs[0]} and {inputs[1]}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var a = args.Input(0);
        var b = args.Input(1);
        var o = args.Output;
        int i = 0;
        for (; i + Vector<float>.Count <= o.Length; i += Vector<float>.Count)
            (new Vector<float>(a.Slice(i)) * new Vector<float>(b.Slice(i))).CopyTo(o.Slice(i));
        for (; i < o.Length; i++) o[i] = a[i] * b[i];
    }
}
