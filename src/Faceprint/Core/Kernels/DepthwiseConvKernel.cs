using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Depthwise NHWC convolution (one filter per channel) with the kernel packed as [ky][kx][c], so each
/// tap is a SIMD multiply-add across channels. Also serves GDConv (kernel = whole 7×7 map).
/// </summary>
public static class DepthwiseConvKernel
{
    /// <summary>Packs a [c, 1, kh, kw] kernel as [kh][kw][c].</summary>
    public static float[] Pack(ReadOnlySpan<float> weight, int channels, int kh, int kw)
    {
        var packed = new float[weight.Length];
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < kh * kw; t++)
                packed[t * channels + c] = weight[c * kh * kw + t];
        return packed;
    }

    /// <summary>Computes output rows [rowStart, rowEnd) where a row is (image, output y).</summary>
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> output,
        in ConvGeometry g, int rowStart, int rowEnd)
    {
        int c = g.OutC;
        for (int row = rowStart; row < rowEnd; row++)
        {
            int n = row / g.OutH, oy = row % g.OutH;
            for (int ox = 0; ox < g.OutW; ox++)
            {
                var acc = output.Slice(((n * g.OutH + oy) * g.OutW + ox) * c, c);
                bias.CopyTo(acc);
                for (int ky = 0; ky < g.KernelH; ky++)
                {
                    int iy = oy * g.StrideH - g.PadTop + ky;
                    if ((uint)iy >= (uint)g.InH) continue;
                    for (int kx = 0; kx < g.KernelW; kx++)
                    {
                        int ix = ox * g.StrideW - g.PadLeft + kx;
                        if ((uint)ix >= (uint)g.InW) continue;
                        var pixel = input.Slice(((n * g.InH + iy) * g.InW + ix) * c, c);
                        var taps = packed.Slice((ky * g.KernelW + kx) * c, c);
                        MultiplyAddElementwise(acc, pixel, taps);
                    }
                }
            }
        }
    }

    private static void MultiplyAddElementwise(Span<float> acc, ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        int j = 0;
        for (; j + Vector<float>.Count <= acc.Length; j += Vector<float>.Count)
            (new Vector<float>(acc.Slice(j)) + new Vector<float>(x.Slice(j)) * new Vector<float>(w.Slice(j))).CopyTo(acc.Slice(j));
        for (; j < acc.Length; j++) acc[j] += x[j] * w[j];
    }
}
