using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>The max-pool body for one instruction set (see <see cref="MaxPoolKernel"/>).</summary>
internal static unsafe class MaxPoolRows<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* input, float* output, in ConvGeometry g, int rowStart, int rowEnd)
    {
        int c = g.OutC, w = TS.Width;
        TV lowest = TS.Splat(float.NegativeInfinity);
        for (int row = rowStart; row < rowEnd; row++)
        {
            int n = row / g.OutH, oy = row - n * g.OutH;
            int y0 = oy * g.StrideH - g.PadTop;
            int kyFrom = Math.Max(0, -y0), kyTo = Math.Min(g.KernelH, g.InH - y0);
            float* image = input + (nint)n * g.InH * g.InW * c;
            float* outRow = output + (nint)row * g.OutW * c;
            for (int ox = 0; ox < g.OutW; ox++)
            {
                int x0 = ox * g.StrideW - g.PadLeft;
                int kxFrom = Math.Max(0, -x0), kxTo = Math.Min(g.KernelW, g.InW - x0);
                for (int cb = 0; cb < c; cb += w)
                {
                    int valid = Math.Min(w, c - cb);
                    TV acc = lowest;
                    for (int ky = kyFrom; ky < kyTo; ky++)
                    {
                        float* src = image + ((nint)(y0 + ky) * g.InW + x0) * c + cb;
                        for (int kx = kxFrom; kx < kxTo; kx++)
                            acc = TS.Max(acc, valid == w ? TS.Load(src + kx * c) : TS.LoadPartial(src + kx * c, valid));
                    }
                    float* dst = outRow + (nint)ox * c + cb;
                    if (valid == w) TS.Store(dst, acc);
                    else TS.StorePartial(dst, acc, valid);
                }
            }
        }
    }
}
