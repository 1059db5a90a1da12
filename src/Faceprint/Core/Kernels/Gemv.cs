using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// One row of C = A·B + bias over packed <see cref="GemmWeights"/> far larger than any cache (the ViT feature head at
/// batch 1 reads 38–151 MB for one output row): the time is all weight traffic from memory. <see cref="Gemm"/> walks K
/// in blocks and, per block, each panel's rows with the next panel's prefetched, so memory sees short jumps between
/// panels; here <see cref="StreamPanels"/> whole panels are walked side by side over all of K, which memory serves as
/// that many long sequential streams (a one-thread read of 151 MB as four streams measured 34–37 GB/s against 28–31
/// for one stream or the blocked walk). Each column still sums bias, then k = 0, 1, … in order with one FMA per k, so
/// the result is bit-identical to <see cref="Gemm"/>'s.
/// </summary>
internal static unsafe class Gemv
{
    /// <summary>Panels read side by side (more streams measured slower: 8 read at ~26 GB/s).</summary>
    internal const int StreamPanels = 4;

    // Each stream prefetches the k row this many rows ahead (8 KB on AVX-512): the hardware prefetchers alone kept fewer
    // lines in flight. ViT-S's 151 MB feature head, batch 1, one thread, one process alternating (thread CPU, median of
    // 30): 4.26 -> 3.72 ms (5.08 -> 4.30 in a slower minute); ViT-T's 38 MB 0.81 -> 0.71 ms; 128 and 256 rows ahead won
    // less.
    private const int PrefetchRows = 64;
    private const int CacheLineFloats = 16;

    /// <summary>Whether this kernel serves a call of <paramref name="rows"/> rows on <paramref name="b"/>: one row, no activation.</summary>
    public static bool Serves(GemmWeights b, int rows) => rows == 1 && b.Activation.Kind == ActivationKind.None;

    /// <summary>
    /// C[0, cols] = A[0, :]·B + bias for the column panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>)
    /// (see <see cref="Gemm.RunPanels"/>); B must be one this kernel <see cref="Serves"/>.
    /// </summary>
    public static void RunPanels(ReadOnlySpan<float> a, GemmWeights b, Span<float> c, int panelStart, int panelEnd)
    {
        if (!Serves(b, 1)) throw new ArgumentException("GEMV runs only weights without an activation");
        if (panelStart < 0 || panelEnd > b.Panels) throw new ArgumentOutOfRangeException(nameof(panelEnd), $"panels [{panelStart}, {panelEnd}) outside [0, {b.Panels})");
        if (a.Length < b.K) throw new ArgumentException("A is shorter than K");
        if (c.Length < b.N) throw new ArgumentException("C is shorter than N");
        // Panels whose columns are all real run as streams; a partial last panel and a group short of four go to Gemm.
        int full = Math.Min(panelEnd, b.N / b.PanelWidth), p = panelStart;
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* packed = b.Packed)
        fixed (float* bias = b.Bias)
        {
            for (; p + StreamPanels <= full; p += StreamPanels)
            {
                switch (b.Isa)
                {
                    case KernelIsa.Avx512: Streams<Avx512Simd, Vector512<float>>(pa, b.K, packed, bias, pc, p); break;
                    case KernelIsa.Avx2: Streams<Avx2Simd, Vector256<float>>(pa, b.K, packed, bias, pc, p); break;
                    default: Streams<PortableSimd, System.Numerics.Vector<float>>(pa, b.K, packed, bias, pc, p); break;
                }
            }
        }
        if (p < panelEnd) Gemm.RunPanels(a, b.K, b, c, 1, p, panelEnd);
    }

    /// <summary>Panels [<paramref name="panel"/>, +4) over all of K: eight accumulators, one broadcast of A per k feeding eight FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Streams<TS, TV>(float* a, int k, float* packed, float* bias, float* c, int panel) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, pw = 2 * w;
        nint panelFloats = (nint)k * pw;
        float* b0 = packed + panel * panelFloats, b1 = b0 + panelFloats, b2 = b1 + panelFloats, b3 = b2 + panelFloats;
        float* bc = bias + panel * pw;
        TV c00 = TS.Load(bc), c01 = TS.Load(bc + w), c10 = TS.Load(bc + pw), c11 = TS.Load(bc + pw + w),
            c20 = TS.Load(bc + 2 * pw), c21 = TS.Load(bc + 2 * pw + w), c30 = TS.Load(bc + 3 * pw), c31 = TS.Load(bc + 3 * pw + w);
        nint ahead = PrefetchRows * pw;
        for (int i = 0; i < k; i++, b0 += pw, b1 += pw, b2 += pw, b3 += pw)
        {
            // Past the end of a panel this touches the next one or memory past the array: a prefetch never faults.
            TS.Prefetch(b0 + ahead);
            TS.Prefetch(b1 + ahead);
            TS.Prefetch(b2 + ahead);
            TS.Prefetch(b3 + ahead);
            if (pw > CacheLineFloats)
            {
                TS.Prefetch(b0 + ahead + CacheLineFloats);
                TS.Prefetch(b1 + ahead + CacheLineFloats);
                TS.Prefetch(b2 + ahead + CacheLineFloats);
                TS.Prefetch(b3 + ahead + CacheLineFloats);
            }
            TV x = TS.Splat(a[i]);
            c00 = TS.MultiplyAdd(x, TS.Load(b0), c00);
            c01 = TS.MultiplyAdd(x, TS.Load(b0 + w), c01);
            c10 = TS.MultiplyAdd(x, TS.Load(b1), c10);
            c11 = TS.MultiplyAdd(x, TS.Load(b1 + w), c11);
            c20 = TS.MultiplyAdd(x, TS.Load(b2), c20);
            c21 = TS.MultiplyAdd(x, TS.Load(b2 + w), c21);
            c30 = TS.MultiplyAdd(x, TS.Load(b3), c30);
            c31 = TS.MultiplyAdd(x, TS.Load(b3 + w), c31);
        }
        float* out0 = c + panel * pw;
        TS.Store(out0, c00);
        TS.Store(out0 + w, c01);
        TS.Store(out0 + pw, c10);
        TS.Store(out0 + pw + w, c11);
        TS.Store(out0 + 2 * pw, c20);
        TS.Store(out0 + 2 * pw + w, c21);
        TS.Store(out0 + 3 * pw, c30);
        TS.Store(out0 + 3 * pw + w, c31);
    }
}
