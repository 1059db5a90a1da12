using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The GEMM micro-kernel, written once and specialised by the JIT per instruction set (<typeparamref name="TS"/>),
/// rows per tile (<typeparamref name="TR"/>, up to 12) and vectors per row (<typeparamref name="TC"/>, 1 or 2):
/// a TR×(TC·width) block of C lives in registers for the whole K loop (one broadcast of A feeds TC FMAs, one load
/// of B feeds TR), then the epilogue applies the activation, adds the residual and stores once.
/// </summary>
internal static unsafe class GemmTile<TS, TV, TR, TC>
    where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount where TC : struct, ITileCount
{
    private const int CacheLineFloats = 16;

    /// <summary>The whole K range of one tile: bias in, epilogue out.</summary>
    public static void Run(in GemmCall g, int row0, int panel) => Run(g, row0, panel, 0, g.K, first: true, last: true);

    /// <summary>
    /// Rows [row0, row0 + TR) × panel <paramref name="panel"/> over k in [<paramref name="k0"/>, <paramref name="k1"/>): the
    /// accumulators start from the bias when <paramref name="first"/>, else from the partial sums already in C; the
    /// epilogue (activation, residual) runs only when <paramref name="last"/>, else the partial sums are stored as they
    /// are. Splitting K this way sums in the same order as one pass, so the result is bit-identical. When
    /// <paramref name="tiles"/> &gt; 1 row tiles share the panel, this one (<paramref name="tile"/>) prefetches only its part
    /// of the next panel; otherwise it prefetches all of it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmCall g, int row0, int panel, int k0, int k1, bool first, bool last, int tile = 0, int tiles = 0)
    {
        int w = TS.Width, pw = 2 * w, col = panel * pw, valid = Math.Min(pw, g.N - col);
        float* bp = g.B + ((nint)panel * g.K + k0) * pw;
        // The same k rows of the next panel, fetched while this one computes: weights arrive from memory ahead of use.
        // The last panel fetches the next layer's first panel instead, so that layer does not start on cold weights.
        float* next = g.Next != null && col + pw >= g.N ? g.Next + (nint)k0 * pw : bp + (nint)g.K * pw;
        // Tile `tile` of `tiles` sharing one panel fetches its share of the next panel's k rows, spread over its own k loop.
        nint step = pw;
        if (tiles > 1)
        {
            int share = (k1 - k0 + tiles - 1) / tiles;
            next += (nint)tile * share * pw;
            step = (pw + tiles - 1) / tiles;
        }
        float* a0 = g.A + (nint)row0 * g.Lda + k0;
        nint lda = g.Lda;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        if (first)
        {
            TV bias0 = TS.Load(g.Bias + col), bias1 = TC.Count > 1 ? TS.Load(g.Bias + col + w) : default;
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = c80 = c90 = c100 = c110 = bias0;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = c81 = c91 = c101 = c111 = bias1;
        }
        else
        {
            c00 = Partial(g, row0 + 0, col, valid); c01 = TC.Count > 1 ? Partial(g, row0 + 0, col + w, valid - w) : default;
            c10 = TR.Count > 1 ? Partial(g, row0 + 1, col, valid) : default; c11 = TR.Count > 1 && TC.Count > 1 ? Partial(g, row0 + 1, col + w, valid - w) : default;
            c20 = TR.Count > 2 ? Partial(g, row0 + 2, col, valid) : default; c21 = TR.Count > 2 && TC.Count > 1 ? Partial(g, row0 + 2, col + w, valid - w) : default;
            c30 = TR.Count > 3 ? Partial(g, row0 + 3, col, valid) : default; c31 = TR.Count > 3 && TC.Count > 1 ? Partial(g, row0 + 3, col + w, valid - w) : default;
            c40 = TR.Count > 4 ? Partial(g, row0 + 4, col, valid) : default; c41 = TR.Count > 4 && TC.Count > 1 ? Partial(g, row0 + 4, col + w, valid - w) : default;
            c50 = TR.Count > 5 ? Partial(g, row0 + 5, col, valid) : default; c51 = TR.Count > 5 && TC.Count > 1 ? Partial(g, row0 + 5, col + w, valid - w) : default;
            c60 = TR.Count > 6 ? Partial(g, row0 + 6, col, valid) : default; c61 = TR.Count > 6 && TC.Count > 1 ? Partial(g, row0 + 6, col + w, valid - w) : default;
            c70 = TR.Count > 7 ? Partial(g, row0 + 7, col, valid) : default; c71 = TR.Count > 7 && TC.Count > 1 ? Partial(g, row0 + 7, col + w, valid - w) : default;
            c80 = TR.Count > 8 ? Partial(g, row0 + 8, col, valid) : default; c81 = TR.Count > 8 && TC.Count > 1 ? Partial(g, row0 + 8, col + w, valid - w) : default;
            c90 = TR.Count > 9 ? Partial(g, row0 + 9, col, valid) : default; c91 = TR.Count > 9 && TC.Count > 1 ? Partial(g, row0 + 9, col + w, valid - w) : default;
            c100 = TR.Count > 10 ? Partial(g, row0 + 10, col, valid) : default; c101 = TR.Count > 10 && TC.Count > 1 ? Partial(g, row0 + 10, col + w, valid - w) : default;
            c110 = TR.Count > 11 ? Partial(g, row0 + 11, col, valid) : default; c111 = TR.Count > 11 && TC.Count > 1 ? Partial(g, row0 + 11, col + w, valid - w) : default;
        }
        int k = k1 - k0;
        for (int p = 0; p < k; p++, bp += pw, next += step)
        {
            TS.Prefetch(next);
            if (step > CacheLineFloats) TS.Prefetch(next + CacheLineFloats);
            TV b0 = TS.Load(bp), b1 = TC.Count > 1 ? TS.Load(bp + w) : default;
            float* ap = a0 + p;
            TV x = TS.Splat(*ap);
            c00 = TS.MultiplyAdd(x, b0, c00);
            if (TC.Count > 1) c01 = TS.MultiplyAdd(x, b1, c01);
            if (TR.Count > 1)
            {
                x = TS.Splat(ap[1 * lda]);
                c10 = TS.MultiplyAdd(x, b0, c10);
                if (TC.Count > 1) c11 = TS.MultiplyAdd(x, b1, c11);
            }
            if (TR.Count > 2)
            {
                x = TS.Splat(ap[2 * lda]);
                c20 = TS.MultiplyAdd(x, b0, c20);
                if (TC.Count > 1) c21 = TS.MultiplyAdd(x, b1, c21);
            }
            if (TR.Count > 3)
            {
                x = TS.Splat(ap[3 * lda]);
                c30 = TS.MultiplyAdd(x, b0, c30);
                if (TC.Count > 1) c31 = TS.MultiplyAdd(x, b1, c31);
            }
            if (TR.Count > 4)
            {
                x = TS.Splat(ap[4 * lda]);
                c40 = TS.MultiplyAdd(x, b0, c40);
                if (TC.Count > 1) c41 = TS.MultiplyAdd(x, b1, c41);
            }
            if (TR.Count > 5)
            {
                x = TS.Splat(ap[5 * lda]);
                c50 = TS.MultiplyAdd(x, b0, c50);
                if (TC.Count > 1) c51 = TS.MultiplyAdd(x, b1, c51);
            }
            if (TR.Count > 6)
            {
                x = TS.Splat(ap[6 * lda]);
                c60 = TS.MultiplyAdd(x, b0, c60);
                if (TC.Count > 1) c61 = TS.MultiplyAdd(x, b1, c61);
            }
            if (TR.Count > 7)
            {
                x = TS.Splat(ap[7 * lda]);
                c70 = TS.MultiplyAdd(x, b0, c70);
                if (TC.Count > 1) c71 = TS.MultiplyAdd(x, b1, c71);
            }
            if (TR.Count > 8)
            {
                x = TS.Splat(ap[8 * lda]);
                c80 = TS.MultiplyAdd(x, b0, c80);
                if (TC.Count > 1) c81 = TS.MultiplyAdd(x, b1, c81);
            }
            if (TR.Count > 9)
            {
                x = TS.Splat(ap[9 * lda]);
                c90 = TS.MultiplyAdd(x, b0, c90);
                if (TC.Count > 1) c91 = TS.MultiplyAdd(x, b1, c91);
            }
            if (TR.Count > 10)
            {
                x = TS.Splat(ap[10 * lda]);
                c100 = TS.MultiplyAdd(x, b0, c100);
                if (TC.Count > 1) c101 = TS.MultiplyAdd(x, b1, c101);
            }
            if (TR.Count > 11)
            {
                x = TS.Splat(ap[11 * lda]);
                c110 = TS.MultiplyAdd(x, b0, c110);
                if (TC.Count > 1) c111 = TS.MultiplyAdd(x, b1, c111);
            }
        }
        if (!last)
        {
            Store(g, row0 + 0, col, valid, c00);
            if (TC.Count > 1) Store(g, row0 + 0, col + w, valid - w, c01);
            if (TR.Count > 1) { Store(g, row0 + 1, col, valid, c10); if (TC.Count > 1) Store(g, row0 + 1, col + w, valid - w, c11); }
            if (TR.Count > 2) { Store(g, row0 + 2, col, valid, c20); if (TC.Count > 1) Store(g, row0 + 2, col + w, valid - w, c21); }
            if (TR.Count > 3) { Store(g, row0 + 3, col, valid, c30); if (TC.Count > 1) Store(g, row0 + 3, col + w, valid - w, c31); }
            if (TR.Count > 4) { Store(g, row0 + 4, col, valid, c40); if (TC.Count > 1) Store(g, row0 + 4, col + w, valid - w, c41); }
            if (TR.Count > 5) { Store(g, row0 + 5, col, valid, c50); if (TC.Count > 1) Store(g, row0 + 5, col + w, valid - w, c51); }
            if (TR.Count > 6) { Store(g, row0 + 6, col, valid, c60); if (TC.Count > 1) Store(g, row0 + 6, col + w, valid - w, c61); }
            if (TR.Count > 7) { Store(g, row0 + 7, col, valid, c70); if (TC.Count > 1) Store(g, row0 + 7, col + w, valid - w, c71); }
            if (TR.Count > 8) { Store(g, row0 + 8, col, valid, c80); if (TC.Count > 1) Store(g, row0 + 8, col + w, valid - w, c81); }
            if (TR.Count > 9) { Store(g, row0 + 9, col, valid, c90); if (TC.Count > 1) Store(g, row0 + 9, col + w, valid - w, c91); }
            if (TR.Count > 10) { Store(g, row0 + 10, col, valid, c100); if (TC.Count > 1) Store(g, row0 + 10, col + w, valid - w, c101); }
            if (TR.Count > 11) { Store(g, row0 + 11, col, valid, c110); if (TC.Count > 1) Store(g, row0 + 11, col + w, valid - w, c111); }
            return;
        }
        TV s0 = TS.Load(g.Slopes + col), s1 = TC.Count > 1 ? TS.Load(g.Slopes + col + w) : default;
        Emit(g, row0 + 0, col, valid, c00, s0);
        if (TC.Count > 1) Emit(g, row0 + 0, col + w, valid - w, c01, s1);
        if (TR.Count > 1)
        {
            Emit(g, row0 + 1, col, valid, c10, s0);
            if (TC.Count > 1) Emit(g, row0 + 1, col + w, valid - w, c11, s1);
        }
        if (TR.Count > 2)
        {
            Emit(g, row0 + 2, col, valid, c20, s0);
            if (TC.Count > 1) Emit(g, row0 + 2, col + w, valid - w, c21, s1);
        }
        if (TR.Count > 3)
        {
            Emit(g, row0 + 3, col, valid, c30, s0);
            if (TC.Count > 1) Emit(g, row0 + 3, col + w, valid - w, c31, s1);
        }
        if (TR.Count > 4)
        {
            Emit(g, row0 + 4, col, valid, c40, s0);
            if (TC.Count > 1) Emit(g, row0 + 4, col + w, valid - w, c41, s1);
        }
        if (TR.Count > 5)
        {
            Emit(g, row0 + 5, col, valid, c50, s0);
            if (TC.Count > 1) Emit(g, row0 + 5, col + w, valid - w, c51, s1);
        }
        if (TR.Count > 6)
        {
            Emit(g, row0 + 6, col, valid, c60, s0);
            if (TC.Count > 1) Emit(g, row0 + 6, col + w, valid - w, c61, s1);
        }
        if (TR.Count > 7)
        {
            Emit(g, row0 + 7, col, valid, c70, s0);
            if (TC.Count > 1) Emit(g, row0 + 7, col + w, valid - w, c71, s1);
        }
        if (TR.Count > 8)
        {
            Emit(g, row0 + 8, col, valid, c80, s0);
            if (TC.Count > 1) Emit(g, row0 + 8, col + w, valid - w, c81, s1);
        }
        if (TR.Count > 9)
        {
            Emit(g, row0 + 9, col, valid, c90, s0);
            if (TC.Count > 1) Emit(g, row0 + 9, col + w, valid - w, c91, s1);
        }
        if (TR.Count > 10)
        {
            Emit(g, row0 + 10, col, valid, c100, s0);
            if (TC.Count > 1) Emit(g, row0 + 10, col + w, valid - w, c101, s1);
        }
        if (TR.Count > 11)
        {
            Emit(g, row0 + 11, col, valid, c110, s0);
            if (TC.Count > 1) Emit(g, row0 + 11, col + w, valid - w, c111, s1);
        }
    }

    /// <summary>Partial sums of one register of C from an earlier K block (masked to <paramref name="valid"/> columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Partial(in GemmCall g, int row, int col, int valid)
    {
        float* src = g.C + (nint)row * g.Ldc + col;
        return valid >= TS.Width ? TS.Load(src) : TS.LoadPartial(src, valid);
    }

    /// <summary>Stores partial sums of one register of C for the next K block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(in GemmCall g, int row, int col, int valid, TV v)
    {
        float* dst = g.C + (nint)row * g.Ldc + col;
        if (valid >= TS.Width) TS.Store(dst, v);
        else TS.StorePartial(dst, v, valid);
    }

    /// <summary>Activation, residual add and store of one register of C; <paramref name="valid"/> &lt; width masks the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(in GemmCall g, int row, int col, int valid, TV v, TV slope)
    {
        if (g.Activation == ActivationKind.PRelu) v = TS.PRelu(v, slope);
        else if (g.Activation == ActivationKind.Relu) v = TS.Max(v, TS.Splat(0f));
        else if (g.Activation == ActivationKind.Relu6) v = TS.Min(TS.Max(v, TS.Splat(0f)), TS.Splat(6f));
        float* dst = g.C + (nint)row * g.Ldc + col;
        if (valid >= TS.Width)
        {
            if (g.Residual != null) v = TS.Add(v, TS.Load(g.Residual + (nint)row * g.Ldc + col));
            TS.Store(dst, v);
        }
        else
        {
            if (g.Residual != null) v = TS.Add(v, TS.LoadPartial(g.Residual + (nint)row * g.Ldc + col, valid));
            TS.StorePartial(dst, v, valid);
        }
    }
}
