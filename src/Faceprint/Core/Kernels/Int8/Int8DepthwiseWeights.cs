namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// A depthwise kernel in 8 bits, packed once at load for <see cref="Int8DepthwiseKernel"/>: symmetric per-channel codes,
/// the input's <see cref="QuantParams"/> (one for the tensor, or one per channel: an output channel reads only its own
/// input channel, so a per-channel input scale and zero point fold exactly), and the float epilogue terms. With s = input
/// scale × weight scale of a channel, its output is act(s·Σ q·w + bias − s·zero point·Σ w), where out-of-image taps read
/// the channel's zero-point code (the float 0 of zero padding), so the zero-point term is the same for every pixel.
/// <para>
/// The vector paths pair taps: one 32-bit lane holds two consecutive taps of one channel as 16-bit values, so one
/// <c>vpmaddwd</c> adds two products exactly. Codes widened to 16 bits and interleaved tap by tap within 128-bit lanes
/// put channels 8j..8j+3 of lane j in the "low" register and 8j+4..8j+7 in the "high" one; the weights and the
/// epilogue terms are stored in that order ([block][pair][low, high] lanes), and the epilogue restores channel order.
/// </para>
/// </summary>
public sealed class Int8DepthwiseWeights
{
    /// <summary>Quantizes a float [c, 1, k, k] kernel per channel and packs it.</summary>
    public static Int8DepthwiseWeights FromFloat(ReadOnlySpan<float> weight, int channels, int kernel, ReadOnlySpan<float> bias, Activation activation,
        QuantParams input, Int8DepthwiseIsa isa)
    {
        var (codes, scales) = Int8GemmWeights.QuantizeWeights(weight, kernel * kernel, channels);
        return new Int8DepthwiseWeights(codes, scales, channels, kernel, bias, activation, input, isa);
    }

    /// <summary>Quantizes a float [c, 1, k, k] kernel per channel and packs it for an input quantized per channel.</summary>
    public static Int8DepthwiseWeights FromFloat(ReadOnlySpan<float> weight, int channels, int kernel, ReadOnlySpan<float> bias, Activation activation,
        IReadOnlyList<QuantParams> inputChannels, Int8DepthwiseIsa isa)
    {
        var (codes, scales) = Int8GemmWeights.QuantizeWeights(weight, kernel * kernel, channels);
        return new Int8DepthwiseWeights(codes, scales, channels, kernel, bias, activation, inputChannels, isa);
    }

    /// <summary>Packs already-quantized codes [c, 1, k, k] with their per-channel scales.</summary>
    public Int8DepthwiseWeights(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> weightScales, int channels, int kernel, ReadOnlySpan<float> bias,
        Activation activation, QuantParams input, Int8DepthwiseIsa isa)
        : this(codes, weightScales, channels, kernel, bias, activation, input, null, isa)
    {
    }

    /// <summary>Packs already-quantized codes [c, 1, k, k] for an input quantized per channel (<paramref name="inputChannels"/>[c] for channel c).</summary>
    public Int8DepthwiseWeights(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> weightScales, int channels, int kernel, ReadOnlySpan<float> bias,
        Activation activation, IReadOnlyList<QuantParams> inputChannels, Int8DepthwiseIsa isa)
        : this(codes, weightScales, channels, kernel, bias, activation, default, inputChannels ?? throw new ArgumentNullException(nameof(inputChannels)), isa)
    {
    }

    private Int8DepthwiseWeights(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> weightScales, int channels, int kernel, ReadOnlySpan<float> bias,
        Activation activation, QuantParams input, IReadOnlyList<QuantParams>? inputChannels, Int8DepthwiseIsa isa)
    {
        int taps = kernel * kernel;
        if (channels <= 0 || kernel <= 0) throw new ArgumentException($"empty depthwise kernel {channels}x{kernel}x{kernel}");
        if (inputChannels is not null && inputChannels.Count != channels)
            throw new ArgumentException($"{inputChannels.Count} input quantizations, expected one per channel ({channels})");
        if (codes.Length != (long)channels * taps) throw new ArgumentException($"kernel has {codes.Length} codes, expected {channels}x1x{kernel}x{kernel}");
        if (weightScales.Length != channels) throw new ArgumentException($"{weightScales.Length} weight scales, expected {channels}");
        if (bias.Length != channels) throw new ArgumentException($"bias has {bias.Length} values, expected {channels}");
        if (activation.Kind == ActivationKind.Gelu) throw new ArgumentException("GELU is not fused into the int8 depthwise conv");
        if (activation.Kind == ActivationKind.PRelu && activation.Slopes!.Length != channels)
            throw new ArgumentException($"PReLU has {activation.Slopes.Length} slopes, expected {channels}");
        foreach (var c in codes)
            if (c == sbyte.MinValue) throw new ArgumentException("weight code -128 is outside the symmetric range [-127, 127]");
        Channels = channels;
        Kernel = kernel;
        Isa = isa;
        _input = input;
        InputChannels = inputChannels?.ToArray();
        Activation = activation;
        Codes = codes.ToArray();
        WeightScales = weightScales.ToArray();
        Block = Int8DepthwiseIsas.BlockChannels(isa);
        Pairs = (taps + 1) / 2;
        int padded = (channels + Block - 1) / Block * Block;
        Scale = GC.AllocateArray<float>(padded, pinned: true);
        Offset = GC.AllocateArray<float>(padded, pinned: true);
        Slopes = GC.AllocateArray<float>(padded, pinned: true);
        PadCodes = GC.AllocateArray<byte>(padded, pinned: true);
        Packed = GC.AllocateArray<short>(Block == 1 ? channels * taps : padded * Pairs * 2, pinned: true);
        for (int c = 0; c < channels; c++)
        {
            long sum = 0;
            for (int t = 0; t < taps; t++) sum += codes[c * taps + t];
            var q = InputOf(c);
            float scale = q.Scale * weightScales[c];
            int at = Position(c);
            Scale[at] = scale;
            Offset[at] = bias[c] - q.ZeroPoint * sum * scale;
            PadCodes[c] = (byte)q.ZeroPoint;
            Slopes[at] = activation.Slopes?[c] ?? 0f;
        }
        if (Block == 1)
        {
            for (int i = 0; i < codes.Length; i++) Packed[i] = codes[i];
            return;
        }
        if (kernel == 3) Packed3x3 = GC.AllocateArray<short>(padded * 5 * 2, pinned: true);
        for (int c = 0; c < channels; c++)
        {
            int block = c / Block, lane = Position(c) - block * Block;
            for (int p = 0; p < Pairs; p++)
            {
                int at = ((block * Pairs + p) * Block + lane) * 2;
                Packed[at] = codes[c * taps + 2 * p];
                Packed[at + 1] = 2 * p + 1 < taps ? codes[c * taps + 2 * p + 1] : (short)0;
            }
            if (Packed3x3 is null) continue;
            // Column pairs (rows 0 and 1 of kx = 0, 1, 2), then row 2 as (kx 0, kx 1) and (no tap, kx 2).
            ReadOnlySpan<(int First, int Second)> pairs = [(0, 3), (1, 4), (2, 5), (6, 7), (-1, 8)];
            for (int p = 0; p < pairs.Length; p++)
            {
                int at = ((block * 5 + p) * Block + lane) * 2;
                Packed3x3[at] = pairs[p].First < 0 ? (short)0 : codes[c * taps + pairs[p].First];
                Packed3x3[at + 1] = codes[c * taps + pairs[p].Second];
            }
        }
    }

    /// <summary>
    /// Where channel <paramref name="c"/>'s epilogue terms sit: its block's 32-bit lanes, the low register's first
    /// (channels 8j..8j+3 of each 128-bit lane j), then the high register's (8j+4..8j+7).
    /// </summary>
    private int Position(int c)
    {
        if (Block == 1) return c;
        int block = c / Block, i = c - block * Block, lane = i / 8, k = i % 8;
        return block * Block + (k < 4 ? 0 : Block / 2) + lane * 4 + k % 4;
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Square kernel side.</summary>
    public int Kernel { get; }

    /// <summary>The instruction set the kernel is packed for.</summary>
    public Int8DepthwiseIsa Isa { get; }

    private readonly QuantParams _input;

    /// <summary>How the input activations are quantized, for a per-tensor input (throws for a per-channel one: read <see cref="InputChannels"/>).</summary>
    public QuantParams Input => InputChannels is null ? _input : throw new InvalidOperationException("the input is quantized per channel");

    /// <summary>The input's quantization of each channel when it is quantized per channel, else null.</summary>
    public IReadOnlyList<QuantParams>? InputChannels { get; }

    /// <summary>How input channel <paramref name="c"/> is quantized (per tensor or per channel).</summary>
    public QuantParams InputOf(int c) => InputChannels?[c] ?? _input;

    /// <summary>The activation the epilogue applies.</summary>
    public Activation Activation { get; }

    /// <summary>The weight codes as given, [c, k·k] (file writers and exporters read these).</summary>
    public IReadOnlyList<sbyte> Codes { get; }

    /// <summary>Per-channel weight scales.</summary>
    public IReadOnlyList<float> WeightScales { get; }

    /// <summary>Channels per block (32, 16, or 1 for the portable path).</summary>
    internal int Block { get; }

    /// <summary>Tap pairs (the last one padded with a zero tap for an odd count).</summary>
    internal int Pairs { get; }

    // Pinned (pinned object heap) so kernels take their address without a fixed block. Vector paths: 16-bit tap
    // pairs [block][pair][lane][2]; portable: the codes [c][tap].
    internal short[] Packed { get; }

    /// <summary>
    /// A 3×3 kernel's pairs for the stride-1 sliding window ([block][5 pairs][lane][2], vector paths only): a column's
    /// rows 0 and 1 pair up, so one interleave serves the three outputs that column feeds; row 2 pairs neighbours.
    /// </summary>
    internal short[]? Packed3x3 { get; }

    internal float[] Scale { get; }

    internal float[] Offset { get; }

    internal float[] Slopes { get; }

    /// <summary>Each channel's zero-point code in channel order (padded to whole blocks): what out-of-image taps read.</summary>
    internal byte[] PadCodes { get; }
}
