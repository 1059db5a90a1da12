using System.Runtime.Intrinsics;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Depthwise NHWC convolution on 8-bit codes (see <see cref="Int8DepthwiseWeights"/> for the arithmetic): u8 input with
/// the layer's calibrated zero point, s8 per-channel weights, exact 32-bit sums, and a fused float epilogue (bias,
/// activation) that writes floats or, requantized with the consumer's <see cref="QuantParams"/>, codes. Serves 3×3
/// convs (stride 1 or 2, weights kept in registers over a row) and the GDConv (the kernel covers the whole map).
/// </summary>
public static unsafe class Int8DepthwiseKernel
{
    /// <summary>Bytes the vector paths may read past the last code of the input (a channel block's register).</summary>
    public const int InputSlack = 32;

    /// <summary>Computes output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) (a row is one image's output y) as floats.</summary>
    public static void Run(ReadOnlySpan<byte> input, Int8DepthwiseWeights weights, in ConvGeometry g, int rowStart, int rowEnd, Span<float> output)
    {
        Check(input.Length, weights, g, rowEnd, output.Length);
        fixed (byte* pi = input)
        fixed (float* po = output)
            Run(pi, weights, g, rowStart, rowEnd, po, null, default);
    }

    /// <summary>Computes output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) as codes of <paramref name="outputParams"/>.</summary>
    public static void Run(ReadOnlySpan<byte> input, Int8DepthwiseWeights weights, in ConvGeometry g, int rowStart, int rowEnd, Span<byte> output,
        QuantParams outputParams)
    {
        Check(input.Length, weights, g, rowEnd, output.Length);
        fixed (byte* pi = input)
        fixed (byte* po = output)
            Run(pi, weights, g, rowStart, rowEnd, null, po, outputParams);
    }

    private static void Check(int inputLength, Int8DepthwiseWeights weights, in ConvGeometry g, int rowEnd, int outputLength)
    {
        if (g.InC != weights.Channels || g.OutC != weights.Channels || g.KernelH != weights.Kernel || g.KernelW != weights.Kernel)
            throw new ArgumentException($"geometry {g} does not match a {weights.Channels}-channel {weights.Kernel}x{weights.Kernel} kernel");
        int images = rowEnd <= 0 ? 0 : (rowEnd - 1) / g.OutH + 1;
        if (inputLength < (long)images * g.InH * g.InW * g.InC + InputSlack || outputLength < (long)rowEnd * g.OutW * g.OutC)
            throw new ArgumentException($"buffers too short for the requested rows (the input needs {InputSlack} readable bytes past its codes)");
    }

    /// <summary>Pointer form: floats to <paramref name="outFloats"/>, or codes to <paramref name="outCodes"/> when it is not null.</summary>
    internal static void Run(byte* input, Int8DepthwiseWeights weights, in ConvGeometry g, int rowStart, int rowEnd, float* outFloats, byte* outCodes,
        QuantParams outputParams)
    {
        if (rowEnd <= rowStart) return;
        fixed (float* scale = weights.Scale)
        fixed (float* offset = weights.Offset)
        fixed (float* slopes = weights.Slopes)
        {
            var e = new Int8DepthwiseEpilogue(scale, offset, slopes, weights.Activation.Kind, outCodes == null ? 0f : 1f / outputParams.Scale,
                outputParams.ZeroPoint);
            switch (weights.Isa)
            {
                case Int8DepthwiseIsa.Avx512BW:
                    Int8DepthwiseRows<Avx512DepthwiseLanes, Vector512<int>>.Run(input, weights, g, rowStart, rowEnd, outFloats, outCodes, e);
                    break;
                case Int8DepthwiseIsa.Avx2:
                    Int8DepthwiseRows<Avx2DepthwiseLanes, Vector256<int>>.Run(input, weights, g, rowStart, rowEnd, outFloats, outCodes, e);
                    break;
                default:
                    Portable(input, weights, g, rowStart, rowEnd, outFloats, outCodes, e);
                    break;
            }
        }
    }

    /// <summary>Plain integer loops, channel by channel, with the same epilogue arithmetic as the vector paths.</summary>
    private static void Portable(byte* input, Int8DepthwiseWeights w, in ConvGeometry g, int rowStart, int rowEnd, float* outFloats, byte* outCodes,
        in Int8DepthwiseEpilogue e)
    {
        int c = g.InC, taps = g.KernelH * g.KernelW;
        fixed (short* codes = w.Packed)
        {
            for (int row = rowStart; row < rowEnd; row++)
            {
                int n = row / g.OutH, oy = row - n * g.OutH, y0 = oy * g.StrideH - g.PadTop;
                byte* image = input + (nint)n * g.InH * g.InW * c;
                for (int ox = 0; ox < g.OutW; ox++)
                {
                    int x0 = ox * g.StrideW - g.PadLeft;
                    nint at = ((nint)row * g.OutW + ox) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int acc = 0;
                        for (int ky = 0; ky < g.KernelH; ky++)
                            for (int kx = 0; kx < g.KernelW; kx++)
                            {
                                int y = y0 + ky, x = x0 + kx;
                                int q = (uint)y < (uint)g.InH && (uint)x < (uint)g.InW ? image[((nint)y * g.InW + x) * c + ch] : w.PadCodes[ch];
                                acc += q * codes[ch * taps + ky * g.KernelW + kx];
                            }
                        float v = MathF.FusedMultiplyAdd(acc, e.Scale[ch], e.Offset[ch]);
                        if (e.Activation == ActivationKind.PRelu) v = v >= 0 ? v : v * e.Slopes[ch];
                        else if (e.Activation == ActivationKind.Relu) v = Math.Max(v, 0f);
                        if (outCodes != null) outCodes[at + ch] = (byte)Int8Quantize.Code(v, e.InverseOutScale, e.OutZeroPoint);
                        else outFloats[at + ch] = v;
                    }
                }
            }
        }
    }
}
