using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Adds zero channels before and after the existing ones at every position: how BlazeFace-style residual blocks
/// widen their shortcut to match a wider branch (TFLite PAD on the channel axis).
/// </summary>
public sealed class PadChannelsLayer : Layer
{
    /// <summary>Creates the layer; both counts must be non-negative.</summary>
    public PadChannelsLayer(string name, int input, int output, int before, int after) : base(name, [input], output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(before);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        Before = before;
        After = after;
    }

    /// <summary>Zero channels in front of the input's.</summary>
    public int Before { get; }

    /// <summary>Zero channels after the input's.</summary>
    public int After { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0] with { C = inputs[0].C + Before + After };

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var input = args.Input(0);
        var output = args.Output;
        int c = args.InputShape(0).C, oc = args.OutputShape.C, pixels = args.OutputShape.Pixels;
        for (int p = 0; p < pixels; p++)
        {
            var row = output.Slice(p * oc, oc);
            row[..Before].Clear();
            input.Slice(p * c, c).CopyTo(row.Slice(Before, c));
            row[(Before + c)..].Clear();
        }
    }
}
