using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The micro-kernel of <see cref="TokenMixingHeads"/>: <typeparamref name="TR"/> rows of C = A·B + bias, each row
/// <typeparamref name="TC"/> registers wide (one head's channels), held in registers over the whole K loop. A is one
/// packed weight tile of <see cref="TokenMixingStream"/> (its TR biases, then [k][row]), read sequentially; B's rows
/// are whole registers <c>ldb</c> floats apart. Each step also prefetches the weight stream a fixed distance ahead,
/// at the rate the tile consumes it, so weights that arrive cold from memory stream in while the tile computes.
/// </summary>
internal static unsafe class TokenMixingTile<TS, TV, TR, TC>
    where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount where TC : struct, ITileCount
{
    /// <summary>Computes the tile into <paramref name="c"/> (rows <paramref name="ldc"/> floats apart, whole registers stored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, int k, float* b, nint ldb, float* c, nint ldc, float* prefetch)
    {
        int w = TS.Width, tr = TR.Count;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        c00 = TS.Splat(a[0]); c01 = c00;
        c10 = TR.Count > 1 ? TS.Splat(a[1]) : default; c11 = c10;
        c20 = TR.Count > 2 ? TS.Splat(a[2]) : default; c21 = c20;
        c30 = TR.Count > 3 ? TS.Splat(a[3]) : default; c31 = c30;
        c40 = TR.Count > 4 ? TS.Splat(a[4]) : default; c41 = c40;
        c50 = TR.Count > 5 ? TS.Splat(a[5]) : default; c51 = c50;
        c60 = TR.Count > 6 ? TS.Splat(a[6]) : default; c61 = c60;
        c70 = TR.Count > 7 ? TS.Splat(a[7]) : default; c71 = c70;
        c80 = TR.Count > 8 ? TS.Splat(a[8]) : default; c81 = c80;
        c90 = TR.Count > 9 ? TS.Splat(a[9]) : default; c91 = c90;
        c100 = TR.Count > 10 ? TS.Splat(a[10]) : default; c101 = c100;
        c110 = TR.Count > 11 ? TS.Splat(a[11]) : default; c111 = c110;
        float* ap = a + tr;
        for (int p = 0; p < k; p++, ap += tr, b += ldb, prefetch += tr)
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
