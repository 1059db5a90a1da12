using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Element-wise test of each value against a constant, written as 1 (true) or 0 (false): the routing decisions of
/// a tree-structured network (TFLite's GREATER_EQUAL / LESS followed by a CAST to float).
/// </summary>
public sealed class CompareLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public CompareLayer(string name, int input, int output, Comparison comparison, float threshold) : base(name, [input], output)
    {
        if (!Enum.IsDefined(comparison)) throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "not a comparison");
        if (float.IsNaN(threshold)) throw new ModelFormatException($"{name}: comparison threshold is NaN");
        Comparison = comparison;
        Threshold = threshold;
    }

    /// <summary>The test.</summary>
    public Comparison Comparison { get; }

    /// <summary>The constant compared against.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var x = args.Input(0);
        var y = args.Output;
        for (int i = 0; i < x.Length; i++)
            y[i] = (Comparison == Comparison.GreaterOrEqual ? x[i] >= Threshold : x[i] < Threshold) ? 1f : 0f;
    }
}
