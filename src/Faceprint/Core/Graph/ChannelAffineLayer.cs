using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// y[c] = x[c']·scale[c] + shift[c] over NHWC channels, where c' = c, or C−1−c with <see cref="ReverseChannels"/>:
/// an imported graph's element-wise scale or shift by a constant that no neighbouring conv can absorb, and input
/// conventions such as RGB→BGR with per-channel means.
/// </summary>
public sealed class ChannelAffineLayer : Layer
{
    private readonly float[] _scale;
    private readonly float[] _shift;

    /// <summary>Creates the layer; <paramref name="scale"/> and <paramref name="shift"/> have one value per channel.</summary>
    public ChannelAffineLayer(string name, int input, int output, float[] scale, float[] shift, bool reverseChannels = false) : base(name, [input], output)
    {
        if (scale.Length != shift.Length || scale.Length == 0) throw new ModelFormatException($"{name}: scale and shift must have one value per channel");
        _scale = scale;
        _shift = shift;
        ReverseChannels = reverseChannels;
    }

    /// <summary>Channels.</summary>
    public int Channels => _scale.Length;

    /// <summary>Whether channel c reads input channel C−1−c (RGB ↔ BGR).</summary>
    public bool ReverseChannels { get; }

    /// <inheritdoc />
    public override long ParameterCount => 2L * Channels;

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].C != Channels) throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {Channels}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var input = args.Input(0);
        var output = args.Output;
        if (!ReverseChannels)
        {
            ChannelAffineKernel.Run(input, output, _scale, _shift);
            return;
        }
        int c = Channels;
        for (int offset = 0; offset < input.Length; offset += c)
            for (int j = 0; j < c; j++)
                output[offset + j] = input[offset + c - 1 - j] * _scale[j] + _shift[j];
    }
}
