using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>The depthwise kernel body for one instruction set (see <see cref="DepthwiseConvKernel"/>).</summary>
internal static unsafe class DepthwiseRows<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* input, DepthwiseWeights weights, float* output, in ConvGeometry g, int rowStart, int rowEnd)
    {
        int c = g.OutC, w = TS.Width;
        var (first, end) = g.InteriorColumns();
        var kind = weights.Activation.Kind;
        fixed (float* packed = weights.Packed)
        fixed (float* bias = weights.Bias)
        fixed (float* slopes = weights.Slopes)
        {
            for (int row = rowStart; row < rowEnd; row++)
            {
                int n = row / g.OutH, oy = row - n * g.OutH;
                int y0 = oy * g.StrideH - g.PadTop;
                float* image = input + (nint)n * g.InH * g.InW * c;
                float* outRow = output + (nint)row * g.OutW * c;
                bool rowsInside = y0 >= 0 && y0 + g.KernelH <= g.InH;
                for (int cb = 0; cb < c; cb += w)
                {
                    int valid = Math.Min(w, c - cb);
                    if (rowsInside && valid == w && g.KernelH == 3 && g.KernelW == 3 && end > first)
                    {
                        Edge(image, packed, bias, slopes, kind, outRow, g, y0, cb, valid, weights.Stride, 0, first);
                        Interior3x3(image + ((nint)y0 * g.InW) * c + cb, packed + cb, weights.Stride, bias + cb, slopes + cb, kind,
                            outRow + cb, g, first, end);
                        Edge(image, packed, bias, slopes, kind, outRow, g, y0, cb, valid, weights.Stride, end, g.OutW);
                    }
                    else
                    {
                        Edge(image, packed, bias, slopes, kind, outRow, g, y0, cb, valid, weights.Stride, 0, g.OutW);
                    }
                }
            }
        }
    }

    /// <summary>Output columns [from, to) of one channel block whose 3×3 windows lie inside the input: taps in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interior3x3(float* top, float* packed, int stride, float* bias, float* slopes, ActivationKind kind,
        float* outBlock, in ConvGeometry g, int from, int to)
    {
        nint c = g.InC, rowStep = (nint)g.InW * g.InC, step = g.StrideW * c;
        TV w0 = TS.Load(packed), w1 = TS.Load(packed + stride), w2 = TS.Load(packed + 2 * stride);
        TV w3 = TS.Load(packed + 3 * stride), w4 = TS.Load(packed + 4 * stride), w5 = TS.Load(packed + 5 * stride);
        TV w6 = TS.Load(packed + 6 * stride), w7 = TS.Load(packed + 7 * stride), w8 = TS.Load(packed + 8 * stride);
        TV b = TS.Load(bias), s = TS.Load(slopes);
        float* p = top + (from * g.StrideW - g.PadLeft) * c;
        float* o = outBlock + from * c;
        for (int ox = from; ox < to; ox++, p += step, o += c)
        {
            float* r1 = p + rowStep, r2 = r1 + rowStep;
            // Two independent chains halve the FMA latency the loop waits on.
            TV acc = TS.MultiplyAdd(TS.Load(p), w0, b);
            TV acc2 = TS.Multiply(TS.Load(p + c), w1);
            acc = TS.MultiplyAdd(TS.Load(p + 2 * c), w2, acc);
            acc2 = TS.MultiplyAdd(TS.Load(r1), w3, acc2);
            acc = TS.MultiplyAdd(TS.Load(r1 + c), w4, acc);
            acc2 = TS.MultiplyAdd(TS.Load(r1 + 2 * c), w5, acc2);
            acc = TS.MultiplyAdd(TS.Load(r2), w6, acc);
            acc2 = TS.MultiplyAdd(TS.Load(r2 + c), w7, acc2);
            acc = TS.MultiplyAdd(TS.Load(r2 + 2 * c), w8, acc);
            TS.Store(o, Activate(TS.Add(acc, acc2), s, kind));
        }
    }

    /// <summary>Output columns [from, to) of one channel block, any kernel, with per-tap bounds checks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Edge(float* image, float* packed, float* bias, float* slopes, ActivationKind kind, float* outRow, in ConvGeometry g,
        int y0, int cb, int valid, int stride, int from, int to)
    {
        int c = g.InC, w = TS.Width;
        TV b = TS.Load(bias + cb), s = TS.Load(slopes + cb);
        int kyFrom = Math.Max(0, -y0), kyTo = Math.Min(g.KernelH, g.InH - y0);
        for (int ox = from; ox < to; ox++)
        {
            int x0 = ox * g.StrideW - g.PadLeft;
            int kxFrom = Math.Max(0, -x0), kxTo = Math.Min(g.KernelW, g.InW - x0);
            TV acc = b;
            for (int ky = kyFrom; ky < kyTo; ky++)
            {
                float* src = image + ((nint)(y0 + ky) * g.InW + x0) * c + cb;
                float* taps = packed + (nint)ky * g.KernelW * stride + cb;
                for (int kx = kxFrom; kx < kxTo; kx++)
                {
                    TV x = valid == w ? TS.Load(src + kx * c) : TS.LoadPartial(src + kx * c, valid);
                    acc = TS.MultiplyAdd(x, TS.Load(taps + kx * stride), acc);
                }
            }
            acc = Activate(acc, s, kind);
            float* dst = outRow + (nint)ox * c + cb;
            if (valid == w) TS.Store(dst, acc);
            else TS.StorePartial(dst, acc, valid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Activate(TV v, TV slope, ActivationKind kind) => kind switch
    {
        ActivationKind.PRelu => TS.PRelu(v, slope),
        ActivationKind.Relu => TS.Max(v, TS.Splat(0f)),
        _ => v,
    };
}
