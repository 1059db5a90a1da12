using System.Numerics;
using System.Runtime.CompilerServices;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Element-wise sum of two same-shaped values (the residual connection).</summary>
public sealed class AddLayer : Layer, IRowTask
{
    /// <summary>Creates the layer.</summary>
    public AddLayer(string name, int a, int b, int output) : base(name, [a, b], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0] != inputs[1]) throw new InvalidOperationException($"{Name}: cannot add {inputs[0]} and {inputs[1]}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        args.ForRows(this, o.Pixels, o.C / 4);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunRows(in LayerArgs args, int start, int end)
    {
        int c = args.OutputShape.C, from = start * c, length = (end - start) * c;
        var a = args.Input(0).Slice(from, length);
        var b = args.Input(1).Slice(from, length);
        var o = args.Output.Slice(from, length);
        int i = 0;
        for (; i + Vector<float>.Count <= o.Length; i += Vector<float>.Count)
            (new Vector<float>(a.Slice(i)) + new Vector<float>(b.Slice(i))).CopyTo(o.Slice(i));
        for (; i < o.Length; i++) o[i] = a[i] + b[i];
    }
}
