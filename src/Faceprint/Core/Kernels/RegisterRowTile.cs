using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The micro-kernel of <see cref="TokenMixingHeads"/> and <see cref="TransposedAttentionKernel"/>: <typeparamref name="TR"/>
/// rows of C = A·B + bias, each row <typeparamref name="TC"/> registers wide (a head's channels, or a block of tokens),
/// held in registers over the whole K loop. A is k-major — step p reads the TR values <c>a[p·lda .. p·lda + TR)</c>, one
/// broadcast per row (a packed weight tile of <see cref="TokenMixingStream"/> with lda = TR, or a strided view of an
/// activation); B's rows are whole registers <c>ldb</c> floats apart. Each step also prefetches
/// <c>prefetch</c>, advancing at the rate A is read, so weights that arrive cold from memory stream in
/// while the tile computes.
/// </summary>
internal static unsafe class RegisterRowTile<TS, TV, TR, TC>
    where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount where TC : struct, ITileCount
{
    /// <summary>
    /// Computes the tile into <paramref name="c"/> (rows <paramref name="ldc"/> floats apart, whole registers stored);
    /// row r starts from <c>bias[r]</c> (callers without a bias pass zeros).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* bias, float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, float* prefetch)
    {
        int w = TS.Width;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        c00 = TS.Splat(bias[0]); c01 = c00;
        c10 = TR.Count > 1 ? TS.Splat(bias[1]) : default; c11 = c10;
        c20 = TR.Count > 2 ? TS.Splat(bias[2]) : default; c21 = c20;
        c30 = TR.Count > 3 ? TS.Splat(bias[3]) : default; c31 = c30;
        c40 = TR.Count > 4 ? TS.Splat(bias[4]) : default; c41 = c40;
        c50 = TR.Count > 5 ? TS.Splat(bias[5]) : default; c51 = c50;
        c60 = TR.Count > 6 ? TS.Splat(bias[6]) : default; c61 = c60;
        c70 = TR.Count > 7 ? TS.Splat(bias[7]) : default; c71 = c70;
        c80 = TR.Count > 8 ? TS.Splat(bias[8]) : default; c81 = c80;
        c90 = TR.Count > 9 ? TS.Splat(bias[9]) : default; c91 = c90;
        c100 = TR.Count > 10 ? TS.Splat(bias[10]) : default; c101 = c100;
        c110 = TR.Count > 11 ? TS.Splat(bias[11]) : default; c111 = c110;
        float* ap = a;
        for (int p = 0; p < k; p++, ap += lda, b += ldb, prefetch += lda)
        {
            TS.Prefetch(prefetch);
            TV b0 = TS.Load(b), b1 = TC.Count > 1 ? TS.Load(b + w) : default;
            TV x = TS.Splat(ap[0]);
            c00 = TS.MultiplyAdd(x, b0, c00);
            if (TC.Count > 1) c01 = TS.MultiplyAdd(x, b1, c01);
            if (TR.Count > 1)
            {
                x = TS.Splat(ap[1]);
                c10 = TS.MultiplyAdd(x, b0, c10);
                if (TC.Count > 1) c11 = TS.MultiplyAdd(x, b1, c11);
            }
            if (TR.Count > 2)
            {
                x = TS.Splat(ap[2]);
                c20 = TS.MultiplyAdd(x, b0, c20);
                if (TC.Count > 1) c21 = TS.MultiplyAdd(x, b1, c21);
            }
            if (TR.Count > 3)
            {
                x = TS.Splat(ap[3]);
                c30 = TS.MultiplyAdd(x, b0, c30);
                if (TC.Count > 1) c31 = TS.MultiplyAdd(x, b1, c31);
            }
            if (TR.Count > 4)
            {
                x = TS.Splat(ap[4]);
                c40 = TS.MultiplyAdd(x, b0, c40);
                if (TC.Count > 1) c41 = TS.MultiplyAdd(x, b1, c41);
            }
            if (TR.Count > 5)
            {
                x = TS.Splat(ap[5]);
                c50 = TS.MultiplyAdd(x, b0, c50);
                if (TC.Count > 1) c51 = TS.MultiplyAdd(x, b1, c51);
            }
            if (TR.Count > 6)
            {
                x = TS.Splat(ap[6]);
                c60 = TS.MultiplyAdd(x, b0, c60);
                if (TC.Count > 1) c61 = TS.MultiplyAdd(x, b1, c61);
            }
            if (TR.Count > 7)
            {
                x = TS.Splat(ap[7]);
                c70 = TS.MultiplyAdd(x, b0, c70);
                if (TC.Count > 1) c71 = TS.MultiplyAdd(x, b1, c71);
            }
            if (TR.Count > 8)
            {
                x = TS.Splat(ap[8]);
                c80 = TS.MultiplyAdd(x, b0, c80);
                if (TC.Count > 1) c81 = TS.MultiplyAdd(x, b1, c81);
            }
            if (TR.Count > 9)
            {
                x = TS.Splat(ap[9]);
                c90 = TS.MultiplyAdd(x, b0, c90);
                if (TC.Count > 1) c91 = TS.MultiplyAdd(x, b1, c91);
            }
            if (TR.Count > 10)
            {
                x = TS.Splat(ap[10]);
                c100 = TS.MultiplyAdd(x, b0, c100);
                if (TC.Count > 1) c101 = TS.MultiplyAdd(x, b1, c101);
            }
            if (TR.Count > 11)
            {
                x = TS.Splat(ap[11]);
                c110 = TS.MultiplyAdd(x, b0, c110);
                if (TC.Count > 1) c111 = TS.MultiplyAdd(x, b1, c111);
            }
        }
        TS.Store(c, c00);
        if (TC.Count > 1) TS.Store(c + w, c01);
        if (TR.Count > 1) { TS.Store(c + 1 * ldc, c10); if (TC.Count > 1) TS.Store(c + 1 * ldc + w, c11); }
        if (TR.Count > 2) { TS.Store(c + 2 * ldc, c20); if (TC.Count > 1) TS.Store(c + 2 * ldc + w, c21); }
        if (TR.Count > 3) { TS.Store(c + 3 * ldc, c30); if (TC.Count > 1) TS.Store(c + 3 * ldc + w, c31); }
        if (TR.Count > 4) { TS.Store(c + 4 * ldc, c40); if (TC.Count > 1) TS.Store(c + 4 * ldc + w, c41); }
        if (TR.Count > 5) { TS.Store(c + 5 * ldc, c50); if (TC.Count > 1) TS.Store(c + 5 * ldc + w, c51); }
        if (TR.Count > 6) { TS.Store(c + 6 * ldc, c60); if (TC.Count > 1) TS.Store(c + 6 * ldc + w, c61); }
        if (TR.Count > 7) { TS.Store(c + 7 * ldc, c70); if (TC.Count > 1) TS.Store(c + 7 * ldc + w, c71); }
        if (TR.Count > 8) { TS.Store(c + 8 * ldc, c80); if (TC.Count > 1) TS.Store(c + 8 * ldc + w, c81); }
        if (TR.Count > 9) { TS.Store(c + 9 * ldc, c90); if (TC.Count > 1) TS.Store(c + 9 * ldc + w, c91); }
        if (TR.Count > 10) { TS.Store(c + 10 * ldc, c100); if (TC.Count > 1) TS.Store(c + 10 * ldc + w, c101); }
        if (TR.Count > 11) { TS.Store(c + 11 * ldc, c110); if (TC.Count > 1) TS.Store(c + 11 * ldc + w, c111); }
    }
}

/// <summary>Picks the <see cref="RegisterRowTile{TS, TV, TR, TC}"/> instance for a tile's row count and width.</summary>
internal static unsafe class RegisterRowTile<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    /// <summary>A tile of <paramref name="rows"/> (1–12) rows, two registers wide when <paramref name="two"/>, else one.</summary>
    public static void Run(int rows, bool two, float* bias, float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, float* prefetch)
    {
        if (two) Run<T2>(rows, bias, a, lda, k, b, ldb, c, ldc, prefetch);
        else Run<T1>(rows, bias, a, lda, k, b, ldb, c, ldc, prefetch);
    }

    private static void Run<TC>(int rows, float* bias, float* a, nint lda, int k, float* b, nint ldb, float* c, nint ldc, float* prefetch)
        where TC : struct, ITileCount
    {
        switch (rows)
        {
            case 12: RegisterRowTile<TS, TV, T12, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 11: RegisterRowTile<TS, TV, T11, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 10: RegisterRowTile<TS, TV, T10, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 9: RegisterRowTile<TS, TV, T9, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 8: RegisterRowTile<TS, TV, T8, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 7: RegisterRowTile<TS, TV, T7, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 6: RegisterRowTile<TS, TV, T6, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 5: RegisterRowTile<TS, TV, T5, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 4: RegisterRowTile<TS, TV, T4, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 3: RegisterRowTile<TS, TV, T3, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            case 2: RegisterRowTile<TS, TV, T2, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
            default: RegisterRowTile<TS, TV, T1, TC>.Run(bias, a, lda, k, b, ldb, c, ldc, prefetch); break;
        }
    }
}
