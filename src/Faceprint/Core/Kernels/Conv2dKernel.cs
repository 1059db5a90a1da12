using Faceprint.Core.Tensors;
using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>Geometry of one conv or pool applied to one input shape.</summary>
public readonly record struct ConvGeometry(int InH, int InW, int InC, int OutH, int OutW, int OutC,
    int KernelH, int KernelW, int StrideH, int StrideW, int PadTop, int PadLeft)
{
    /// <summary>Geometry of a square <paramref name="kernel"/> with one stride and padding rule on both axes.</summary>
    public static ConvGeometry Square(TensorShape input, int outChannels, int kernel, int stride, Padding padding)
    {
        var (outH, top) = padding.Resolve(input.H, kernel, stride);
        var (outW, left) = padding.Resolve(input.W, kernel, stride);
        return new ConvGeometry(input.H, input.W, input.C, outH, outW, outChannels, kernel, kernel, stride, stride, top, left);
    }
}

/// <summary>
/// Direct NHWC convolution with a dense (groups = 1) kernel packed as [ky][kx][cin][cout], so the inner
/// loop is a SIMD multiply-add over output channels. Used for the stems and MTCNN's convs; 1×1 convs go
/// through <see cref="Gemm"/> instead.
/// </summary>
public static class Conv2dKernel
{
    /// <summary>Packs a [cout, cin, kh, kw] kernel as [kh][kw][cin][cout].</summary>
    public static float[] Pack(ReadOnlySpan<float> weight, int cout, int cin, int kh, int kw)
    {
        var packed = new float[weight.Length];
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        packed[((y * kw + x) * cin + i) * cout + o] = weight[((o * cin + i) * kh + y) * kw + x];
        return packed;
    }

    /// <summary>Computes output rows [rowStart, rowEnd) where a row is (image, output y).</summary>
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> output,
        in ConvGeometry g, int rowStart, int rowEnd)
    {
        int cout = g.OutC;
        for (int row = rowStart; row < rowEnd; row++)
        {
            int n = row / g.OutH, oy = row % g.OutH;
            for (int ox = 0; ox < g.OutW; ox++)
            {
                var acc = output.Slice(((n * g.OutH + oy) * g.OutW + ox) * cout, cout);
                bias.CopyTo(acc);
                for (int ky = 0; ky < g.KernelH; ky++)
                {
                    int iy = oy * g.StrideH - g.PadTop + ky;
                    if ((uint)iy >= (uint)g.InH) continue;
                    for (int kx = 0; kx < g.KernelW; kx++)
                    {
                        int ix = ox * g.StrideW - g.PadLeft + kx;
                        if ((uint)ix >= (uint)g.InW) continue;
                        var pixel = input.Slice(((n * g.InH + iy) * g.InW + ix) * g.InC, g.InC);
                        var taps = packed.Slice((ky * g.KernelW + kx) * g.InC * cout, g.InC * cout);
                        for (int ci = 0; ci < pixel.Length; ci++)
                            MultiplyAdd(acc, pixel[ci], taps.Slice(ci * cout, cout));
                    }
                }
            }
        }
    }

    internal static void MultiplyAdd(Span<float> acc, float scale, ReadOnlySpan<float> values)
    {
        int j = 0;
        var s = new Vector<float>(scale);
        for (; j + Vector<float>.Count <= acc.Length; j += Vector<float>.Count)
            (new Vector<float>(acc.Slice(j)) + s * new Vector<float>(values.Slice(j))).CopyTo(acc.Slice(j));
        for (; j < acc.Length; j++) acc[j] += scale * values[j];
    }
}
