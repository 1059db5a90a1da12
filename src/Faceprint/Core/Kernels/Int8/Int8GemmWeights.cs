namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// The right-hand side of an 8-bit GEMM, packed once at load for one <see cref="Int8Isa"/>: weights as signed 8-bit
/// codes, symmetric per output channel (w ≈ q·<see cref="WeightScales"/>[n], q in [−127, 127]), the input's
/// <see cref="QuantParams"/>, and the float epilogue C = act(acc·scale[n] + offset[n]) (+ residual) with
/// scale[n] = s_in·s_w[n] and offset[n] = bias[n] − z_in·Σ_k q[n, k]·scale[n] (the zero-point term folded in, so the
/// integer loop is a plain u8·s8 dot product).
/// <para>
/// Layout: columns in panels of 16 (two 8-lane registers); within a panel, K is cut into steps of
/// <see cref="Int8Isas.KStep"/> (4 bytes per lane for VNNI, two 16-bit values per lane for AVX2) stored
/// [panel][step][lane][k in step], so one 32-bit broadcast of A meets one aligned 256-bit load of B. The portable
/// path keeps [n][Kp] bytes.
/// </para>
/// </summary>
public sealed class Int8GemmWeights
{
    /// <summary>Output columns per panel.</summary>
    internal const int PanelWidth = 16;

    /// <summary>Quantizes a float [n, k] ([out, in]) weight per output channel and packs it.</summary>
    public static Int8GemmWeights FromFloat(ReadOnlySpan<float> weight, int k, int n, ReadOnlySpan<float> bias, Activation activation,
        QuantParams input, Int8Isa isa)
    {
        var (codes, scales) = QuantizeWeights(weight, k, n);
        return new Int8GemmWeights(codes, scales, k, n, bias, activation, input, isa);
    }

    /// <summary>Symmetric per-row quantization of [n, k]: scale = max|w|/127 (1 for an all-zero row), q = round(w/scale).</summary>
    public static (sbyte[] Codes, float[] Scales) QuantizeWeights(ReadOnlySpan<float> weight, int k, int n)
    {
        if (weight.Length != (long)k * n) throw new ArgumentException($"weight has {weight.Length} values, expected {n}x{k}");
        var codes = new sbyte[weight.Length];
        var scales = new float[n];
        for (int o = 0; o < n; o++)
        {
            var row = weight.Slice(o * k, k);
            float max = 0;
            foreach (float w in row) max = Math.Max(max, Math.Abs(w));
            float scale = max > 0 ? max / 127f : 1f;
            scales[o] = scale;
            for (int i = 0; i < k; i++) codes[o * k + i] = (sbyte)Math.Clamp((int)MathF.Round(row[i] / scale), -127, 127);
        }
        return (codes, scales);
    }

    /// <summary>Packs already-quantized weights <paramref name="codes"/>[n, k] with their per-channel scales.</summary>
    public Int8GemmWeights(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> weightScales, int k, int n, ReadOnlySpan<float> bias,
        Activation activation, QuantParams input, Int8Isa isa)
    {
        if (k <= 0 || n <= 0) throw new ArgumentException($"empty GEMM {n}x{k}");
        if (codes.Length != (long)k * n) throw new ArgumentException($"weight has {codes.Length} codes, expected {n}x{k}");
        if (weightScales.Length != n) throw new ArgumentException($"{weightScales.Length} weight scales, expected {n}");
        if (bias.Length != n) throw new ArgumentException($"bias has {bias.Length} values, expected {n}");
        if (activation.Kind == ActivationKind.Gelu) throw new ArgumentException("GELU is not fused into the int8 GEMM");
        if (activation.Kind == ActivationKind.PRelu && activation.Slopes!.Length != n)
            throw new ArgumentException($"PReLU has {activation.Slopes.Length} slopes, expected {n}");
        foreach (var c in codes)
            if (c == sbyte.MinValue) throw new ArgumentException("weight code -128 is outside the symmetric range [-127, 127]");
        K = k;
        N = n;
        Isa = isa;
        Input = input;
        Activation = activation;
        Codes = codes.ToArray();
        WeightScales = weightScales.ToArray();
        KStep = Int8Isas.KStep(isa);
        PaddedK = (k + 3) / 4 * 4;
        Panels = (n + PanelWidth - 1) / PanelWidth;
        int padded = Panels * PanelWidth;
        Packed = Pack(codes, k, n, PaddedK, isa, Panels);
        Scale = GC.AllocateArray<float>(padded, pinned: true);
        Offset = GC.AllocateArray<float>(padded, pinned: true);
        Slopes = GC.AllocateArray<float>(padded, pinned: true);
        activation.Slopes?.CopyTo(Slopes, 0);
        for (int o = 0; o < n; o++)
        {
            long sum = 0;
            for (int i = 0; i < k; i++) sum += codes[o * k + i];
            Scale[o] = input.Scale * weightScales[o];
            Offset[o] = bias[o] - input.ZeroPoint * sum * Scale[o];
        }
        InverseInputScale = 1f / input.Scale;
    }

    private static byte[] Pack(ReadOnlySpan<sbyte> codes, int k, int n, int kp, Int8Isa isa, int panels)
    {
        if (isa == Int8Isa.Portable)
        {
            var rows = GC.AllocateArray<byte>(n * kp, pinned: true);
            for (int o = 0; o < n; o++)
                for (int i = 0; i < k; i++)
                    rows[o * kp + i] = (byte)codes[o * k + i];
            return rows;
        }
        int step = Int8Isas.KStep(isa), elementBytes = isa == Int8Isa.Avx2 ? 2 : 1;
        var packed = GC.AllocateArray<byte>(panels * kp * PanelWidth * elementBytes, pinned: true);
        var shorts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(packed.AsSpan());
        for (int p = 0; p < panels; p++)
            for (int i = 0; i < k; i++)
                for (int lane = 0; lane < PanelWidth; lane++)
                {
                    int col = p * PanelWidth + lane;
                    if (col >= n) continue;
                    int at = ((p * (kp / step) + i / step) * PanelWidth + lane) * step + i % step;
                    if (elementBytes == 2) shorts[at] = codes[col * k + i];
                    else packed[at] = (byte)codes[col * k + i];
                }
        return packed;
    }

    /// <summary>Rows of B (inputs per output).</summary>
    public int K { get; }

    /// <summary>Columns of B (outputs).</summary>
    public int N { get; }

    /// <summary>The instruction set the panels are laid out for.</summary>
    public Int8Isa Isa { get; }

    /// <summary>How the input activations are quantized.</summary>
    public QuantParams Input { get; }

    /// <summary>The activation the epilogue applies.</summary>
    public Activation Activation { get; }

    /// <summary>The weight codes as given, [n, k] (file writers and exporters read these).</summary>
    public IReadOnlyList<sbyte> Codes { get; }

    /// <summary>Per-output-channel weight scales.</summary>
    public IReadOnlyList<float> WeightScales { get; }

    internal int KStep { get; }

    /// <summary>K rounded up to a multiple of 4 (the packed rows and quantized A rows are this long).</summary>
    internal int PaddedK { get; }

    internal int Panels { get; }

    internal float InverseInputScale { get; }

    // Pinned (pinned object heap) so kernels take their address without a fixed block.
    internal byte[] Packed { get; }

    internal float[] Scale { get; }

    internal float[] Offset { get; }

    internal float[] Slopes { get; }
}
