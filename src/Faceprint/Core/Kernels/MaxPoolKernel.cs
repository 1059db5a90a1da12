using System.Numerics;
using System.Runtime.CompilerServices;

namespace Faceprint.Core.Kernels;

/// <summary>NHWC max pooling; padded positions never win (they count as −∞, as in TensorFlow).</summary>
public static class MaxPoolKernel
{
    /// <summary>Computes output rows [rowStart, rowEnd) where a row is (image, output y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> input, Span<float> output, in ConvGeometry g, int rowStart, int rowEnd)
    {
        int c = g.OutC;
        for (int row = rowStart; row < rowEnd; row++)
        {
            int n = row / g.OutH, oy = row % g.OutH;
            for (int ox = 0; ox < g.OutW; ox++)
            {
                var acc = output.Slice(((n * g.OutH + oy) * g.OutW + ox) * c, c);
                acc.Fill(float.NegativeInfinity);
                for (int ky = 0; ky < g.KernelH; ky++)
                {
                    int iy = oy * g.StrideH - g.PadTop + ky;
                    if ((uint)iy >= (uint)g.InH) continue;
                    for (int kx = 0; kx < g.KernelW; kx++)
                    {
                        int ix = ox * g.StrideW - g.PadLeft + kx;
                        if ((uint)ix >= (uint)g.InW) continue;
                        MaxInPlace(acc, input.Slice(((n * g.InH + iy) * g.InW + ix) * c, c));
                    }
                }
            }
        }
    }

    private static void MaxInPlace(Span<float> acc, ReadOnlySpan<float> x)
    {
        int j = 0;
        for (; j + Vector<float>.Count <= acc.Length; j += Vector<float>.Count)
            Vector.Max(new Vector<float>(acc.Slice(j)), new Vector<float>(x.Slice(j))).CopyTo(acc.Slice(j));
        for (; j < acc.Length; j++) acc[j] = MathF.Max(acc[j], x[j]);
    }
}
