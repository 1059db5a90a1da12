using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// Float → u8 codes (rounding as every int8 kernel does), with one <see cref="QuantParams"/> for the tensor or one per
/// channel, where an int8 layer that reads codes follows a float producer (the depthwise conv after an fp32 stem) or takes
/// its input per channel (which no producer's epilogue writes). The codes fill the first bytes of the value's buffer.
/// </summary>
public sealed class Int8QuantizeLayer : Layer, IRowTask
{
    private const int Grain = 4096;

    // Per channel: the terms laid out for one flat pass over the tensor.
    private readonly Int8ChannelTerms? _terms;

    /// <summary>Creates the layer quantizing <paramref name="input"/> into <paramref name="output"/> with one scale and zero point.</summary>
    public Int8QuantizeLayer(string name, int input, int output, QuantParams quantization) : base(name, [input], output)
    {
        Params = quantization;
    }

    /// <summary>Creates the layer quantizing channel c of <paramref name="input"/> with <paramref name="channels"/>[c].</summary>
    public Int8QuantizeLayer(string name, int input, int output, IReadOnlyList<QuantParams> channels) : base(name, [input], output)
    {
        if (channels.Count == 0) throw new ArgumentException($"{name}: no channel quantizations");
        Channels = channels.ToArray();
        _terms = new Int8ChannelTerms(Channels);
    }

    /// <summary>The codes' quantization for the whole tensor (unused when <see cref="Channels"/> is set).</summary>
    public QuantParams Params { get; }

    /// <summary>The codes' quantization of each channel, or null when the tensor has one (<see cref="Params"/>).</summary>
    public IReadOnlyList<QuantParams>? Channels { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (Channels is not null && inputs[0].C != Channels.Count)
            throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {Channels.Count}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        if (Channels is null) args.ForRows(this, (o.Size + Grain - 1) / Grain, Grain / 8);
        else args.ForRows(this, o.Pixels, Math.Max(1, o.C / 8), grain: 16);
    }

    /// <inheritdoc />
    public unsafe void RunRows(in LayerArgs args, int start, int end)
    {
        fixed (float* input = args.InputArray(0))
        fixed (float* output = args.OutputArray)
        {
            if (Channels is null)
            {
                int size = args.OutputShape.Size, from = start * Grain, to = Math.Min(size, end * Grain);
                Int8Quantize.Bytes(input + from, to - from, 1f / Params.Scale, Params.ZeroPoint, (byte*)output + from);
                return;
            }
            long first = (long)start * _terms!.Channels;
            Int8QuantizeChannels.Run(input + first, first, (long)(end - start) * _terms.Channels, _terms, (byte*)output + first, Int8QuantizeChannels.BestLanes);
        }
    }
}
