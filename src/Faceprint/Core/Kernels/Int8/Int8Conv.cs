namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// A dense k×k convolution (any kernel, stride and padding) in 8 bits over float NHWC tensors: the input rows a range
/// of output pixels reads are quantized once into the caller's scratch with the layer's calibrated
/// <see cref="QuantParams"/>, tiles of receptive fields are gathered as codes (<see cref="Int8Im2Col"/>), and
/// <see cref="Int8Gemm"/>'s micro-kernels multiply them as u8·s8 with exact 32-bit sums and write float through the
/// fused epilogue (bias, activation, residual). The weights' K runs over (ky, kx, ci), as <see cref="Im2Col"/> lays it out.
/// </summary>
public static unsafe class Int8Conv
{
    // Pixels per gathered tile: a multiple of every path's rows per register tile (7, 12, 6); the tile (~32 KiB) stays in L1/L2.
    private const int TileAlign = 84;
    private const int TileBytes = 32 * 1024;

    private static int ElementBytes(Int8Isa isa) => isa == Int8Isa.Avx2 ? 2 : 1;

    private static int TilePixels(Int8GemmWeights w) => Math.Max(TileAlign, TileBytes / (w.PaddedK * ElementBytes(w.Isa)) / TileAlign * TileAlign);

    // One image's input codes, rounded up to whole 32-byte lines so the tile that follows starts aligned.
    private static long RegionBytes(in ConvGeometry g, Int8Isa isa) => ((long)g.InH * g.InW * g.InC * ElementBytes(isa) + 31) / 32 * 32;

    /// <summary>Bytes of scratch <see cref="Run"/> needs for one image of geometry <paramref name="g"/>.</summary>
    public static int ScratchBytes(in ConvGeometry g, Int8GemmWeights w) =>
        checked((int)(RegionBytes(g, w.Isa) + (long)TilePixels(w) * w.PaddedK * ElementBytes(w.Isa)));

    /// <summary>
    /// Computes output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) (flat over n, y, x) of the conv
    /// with geometry <paramref name="g"/> and weights <paramref name="w"/> (K = kh·kw·cin in (ky, kx, ci) order, N = cout).
    /// <paramref name="residual"/> (empty for none) has the output's shape.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, in ConvGeometry g, Int8GemmWeights w, Span<float> output, int pixelStart, int pixelEnd,
        Span<byte> scratch, ReadOnlySpan<float> residual = default)
    {
        if (pixelEnd <= pixelStart) return;
        if (w.K != g.KernelH * g.KernelW * g.InC || w.N != g.OutC) throw new ArgumentException($"weights are {w.N}x{w.K}, geometry needs {g.OutC}x{g.KernelH * g.KernelW * g.InC}");
        int perImage = g.OutH * g.OutW, images = (pixelEnd - 1) / perImage + 1;
        if (input.Length < (long)images * g.InH * g.InW * g.InC) throw new ArgumentException("input is too short for the requested pixels");
        if (output.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("output is too short for the requested pixels");
        if (!residual.IsEmpty && residual.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("residual is too short for the requested pixels");
        if (scratch.Length < ScratchBytes(g, w)) throw new ArgumentException($"scratch has {scratch.Length} bytes, needs {ScratchBytes(g, w)}");
        fixed (float* pi = input)
        fixed (float* po = output)
        fixed (float* pr = residual)
        fixed (byte* ps = scratch)
            RunPixels(pi, g, w, po, residual.IsEmpty ? null : pr, pixelStart, pixelEnd, ps);
    }

    /// <summary>
    /// Quantizes into <paramref name="region"/> only the input rows of image <paramref name="image"/> that output pixels
    /// [<paramref name="first"/>, <paramref name="end"/>) read, and returns the first of them (the region's row 0).
    /// </summary>
    internal static int QuantizeReadRows(float* input, in ConvGeometry g, Int8GemmWeights w, int image, int first, int end, byte* region)
    {
        int rowFloats = g.InW * g.InC;
        int top = Math.Clamp(first / g.OutW * g.StrideH - g.PadTop, 0, g.InH);
        int bottom = Math.Clamp((end - 1) / g.OutW * g.StrideH - g.PadTop + g.KernelH, 0, g.InH);
        if (bottom > top)
        {
            int count = (bottom - top) * rowFloats;
            Int8Quantize.Rows(input + ((nint)image * g.InH + top) * rowFloats, count, 1, count, count, w.InverseInputScale, w.Input.ZeroPoint,
                region, Int8Isas.CodeLayout(w.Isa));
        }
        return top;
    }

    private static void RunPixels(float* input, in ConvGeometry g, Int8GemmWeights w, float* output, float* residual, int pixelStart, int pixelEnd, byte* scratch)
    {
        int eb = ElementBytes(w.Isa), kp = w.PaddedK, tile = TilePixels(w), zero = w.Input.ZeroPoint;
        int perImage = g.OutH * g.OutW;
        byte* region = scratch, codes = scratch + RegionBytes(g, w.Isa);
        fixed (byte* packed = w.Packed)
        fixed (float* scale = w.Scale)
        fixed (float* offset = w.Offset)
        fixed (float* slopes = w.Slopes)
        {
            for (int p = pixelStart; p < pixelEnd;)
            {
                int n = p / perImage, first = p - n * perImage, end = Math.Min(perImage, pixelEnd - n * perImage);
                int top = QuantizeReadRows(input, g, w, n, first, end, region);
                for (int t = first; t < end; t += tile)
                {
                    int rows = Math.Min(tile, end - t);
                    Int8Im2Col.Fill(region, top, g, t, t + rows, kp, eb, zero, codes);
                    nint at = ((nint)n * perImage + t) * w.N;
                    var call = new Int8GemmCall(codes, kp * eb, w, packed, scale, offset, slopes, output + at, residual == null ? null : residual + at);
                    Int8Gemm.Multiply(call, w.Isa, w.Panels, rows);
                }
                p = n * perImage + end;
            }
        }
    }

    /// <summary>
    /// A [cout, cin, kh, kw] kernel (as model files store it) reordered to the [cout, (ky, kx, ci)] rows the conv
    /// multiplies; per-output-channel quantization gives the same codes in either order.
    /// </summary>
    public static T[] ToGemmOrder<T>(ReadOnlySpan<T> kernel, int outChannels, int inChannels, int kh, int kw)
    {
        if (kernel.Length != (long)outChannels * inChannels * kh * kw)
            throw new ArgumentException($"kernel has {kernel.Length} values, expected {outChannels}x{inChannels}x{kh}x{kw}");
        var rows = new T[kernel.Length];
        int k = inChannels * kh * kw;
        for (int o = 0; o < outChannels; o++)
            for (int ci = 0; ci < inChannels; ci++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        rows[o * k + (ky * kw + kx) * inChannels + ci] = kernel[((o * inChannels + ci) * kh + ky) * kw + kx];
        return rows;
    }

    /// <summary>The inverse of <see cref="ToGemmOrder{T}"/>: [cout, (ky, kx, ci)] rows back to a [cout, cin, kh, kw] kernel.</summary>
    public static T[] ToKernelOrder<T>(ReadOnlySpan<T> rows, int outChannels, int inChannels, int kh, int kw)
    {
        if (rows.Length != (long)outChannels * inChannels * kh * kw)
            throw new ArgumentException($"rows have {rows.Length} values, expected {outChannels}x{kh}x{kw}x{inChannels}");
        var kernel = new T[rows.Length];
        int k = inChannels * kh * kw;
        for (int o = 0; o < outChannels; o++)
            for (int ci = 0; ci < inChannels; ci++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        kernel[((o * inChannels + ci) * kh + ky) * kw + kx] = rows[o * k + (ky * kw + kx) * inChannels + ci];
        return kernel;
    }
}
