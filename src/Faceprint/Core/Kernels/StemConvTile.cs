using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The register tile of <see cref="StemConvKernel"/>: TR output pixels of one row (<typeparamref name="TR"/>, up to 12) ×
/// one column panel of the packed kernel (<typeparamref name="TC"/> registers, 1 or 2) stay in registers while the taps
/// stream by. Each tap is broadcast straight from the NHWC input — pixel r's value sits r·stride·cin floats after pixel
/// 0's — and the taps of one kernel row, (kx, ci), are contiguous in both the input and the packed kernel, so a kernel row
/// is one run of kw·cin steps. Taps are summed in the GEMM's k order (ky, kx, ci) from the bias up; taps over the padding
/// are skipped where the GEMM would add 0·w, so the result is the im2col GEMM's bit for bit.
/// </summary>
internal static unsafe class StemConvTile<TS, TV, TR, TC>
    where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount where TC : struct, ITileCount
{
    /// <summary>
    /// Pixels [0, TR) from <paramref name="window"/> (input at pixel 0's window origin, which may lie in the padding) to
    /// <paramref name="output"/> (pixel 0's output channels) in panel <paramref name="panel"/>, over kernel rows
    /// [<paramref name="kyFrom"/>, <paramref name="kyTo"/>) and columns [<paramref name="kxFrom"/>, <paramref name="kxTo"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in StemConvCall g, float* window, float* output, float* residual, int panel, int kyFrom, int kyTo, int kxFrom, int kxTo)
    {
        int w = TS.Width, pw = 2 * w, col = panel * pw, valid = Math.Min(pw, g.N - col);
        int run = (kxTo - kxFrom) * g.Cin;
        nint step = g.PixelStep, lineStep = g.LineStep, tapRow = (nint)g.KernelW * g.Cin * pw;
        float* line = window + kyFrom * lineStep + kxFrom * g.Cin;
        float* taps = g.Packed + ((nint)panel * g.K + ((nint)kyFrom * g.KernelW + kxFrom) * g.Cin) * pw;
        TV bias0 = TS.Load(g.Bias + col), bias1 = TC.Count > 1 ? TS.Load(g.Bias + col + w) : default;
        TV c00, c10, c20, c30, c40, c50, c60, c70, c80, c90, c100, c110;
        TV c01, c11, c21, c31, c41, c51, c61, c71, c81, c91, c101, c111;
        c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = c80 = c90 = c100 = c110 = bias0;
        c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = c81 = c91 = c101 = c111 = bias1;
        for (int ky = kyFrom; ky < kyTo; ky++, line += lineStep, taps += tapRow)
        {
            float* a = line, b = taps;
            for (int j = 0; j < run; j++, a++, b += pw)
            {
                TV b0 = TS.Load(b), b1 = TC.Count > 1 ? TS.Load(b + w) : default;
                TV x = TS.Splat(*a);
                c00 = TS.MultiplyAdd(x, b0, c00);
                if (TC.Count > 1) c01 = TS.MultiplyAdd(x, b1, c01);
                if (TR.Count > 1)
                {
                    x = TS.Splat(a[1 * step]);
                    c10 = TS.MultiplyAdd(x, b0, c10);
                    if (TC.Count > 1) c11 = TS.MultiplyAdd(x, b1, c11);
                }
                if (TR.Count > 2)
                {
                    x = TS.Splat(a[2 * step]);
                    c20 = TS.MultiplyAdd(x, b0, c20);
                    if (TC.Count > 1) c21 = TS.MultiplyAdd(x, b1, c21);
                }
                if (TR.Count > 3)
                {
                    x = TS.Splat(a[3 * step]);
                    c30 = TS.MultiplyAdd(x, b0, c30);
                    if (TC.Count > 1) c31 = TS.MultiplyAdd(x, b1, c31);
                }
                if (TR.Count > 4)
                {
                    x = TS.Splat(a[4 * step]);
                    c40 = TS.MultiplyAdd(x, b0, c40);
                    if (TC.Count > 1) c41 = TS.MultiplyAdd(x, b1, c41);
                }
                if (TR.Count > 5)
                {
                    x = TS.Splat(a[5 * step]);
                    c50 = TS.MultiplyAdd(x, b0, c50);
                    if (TC.Count > 1) c51 = TS.MultiplyAdd(x, b1, c51);
                }
                if (TR.Count > 6)
                {
                    x = TS.Splat(a[6 * step]);
                    c60 = TS.MultiplyAdd(x, b0, c60);
                    if (TC.Count > 1) c61 = TS.MultiplyAdd(x, b1, c61);
                }
                if (TR.Count > 7)
                {
                    x = TS.Splat(a[7 * step]);
                    c70 = TS.MultiplyAdd(x, b0, c70);
                    if (TC.Count > 1) c71 = TS.MultiplyAdd(x, b1, c71);
                }
                if (TR.Count > 8)
                {
                    x = TS.Splat(a[8 * step]);
                    c80 = TS.MultiplyAdd(x, b0, c80);
                    if (TC.Count > 1) c81 = TS.MultiplyAdd(x, b1, c81);
                }
                if (TR.Count > 9)
                {
                    x = TS.Splat(a[9 * step]);
                    c90 = TS.MultiplyAdd(x, b0, c90);
                    if (TC.Count > 1) c91 = TS.MultiplyAdd(x, b1, c91);
                }
                if (TR.Count > 10)
                {
                    x = TS.Splat(a[10 * step]);
                    c100 = TS.MultiplyAdd(x, b0, c100);
                    if (TC.Count > 1) c101 = TS.MultiplyAdd(x, b1, c101);
                }
                if (TR.Count > 11)
                {
                    x = TS.Splat(a[11 * step]);
                    c110 = TS.MultiplyAdd(x, b0, c110);
                    if (TC.Count > 1) c111 = TS.MultiplyAdd(x, b1, c111);
                }
            }
        }
        TV s0 = TS.Load(g.Slopes + col), s1 = TC.Count > 1 ? TS.Load(g.Slopes + col + w) : default;
        nint n = g.N;
        float* o = output + col, res = residual == null ? null : residual + col;
        Emit(g, o, res, valid, c00, s0);
        if (TC.Count > 1) Emit(g, o + w, res == null ? null : res + w, valid - w, c01, s1);
        if (TR.Count > 1)
        {
            Emit(g, o + 1 * n, res == null ? null : res + 1 * n, valid, c10, s0);
            if (TC.Count > 1) Emit(g, o + 1 * n + w, res == null ? null : res + 1 * n + w, valid - w, c11, s1);
        }
        if (TR.Count > 2)
        {
            Emit(g, o + 2 * n, res == null ? null : res + 2 * n, valid, c20, s0);
            if (TC.Count > 1) Emit(g, o + 2 * n + w, res == null ? null : res + 2 * n + w, valid - w, c21, s1);
        }
        if (TR.Count > 3)
        {
            Emit(g, o + 3 * n, res == null ? null : res + 3 * n, valid, c30, s0);
            if (TC.Count > 1) Emit(g, o + 3 * n + w, res == null ? null : res + 3 * n + w, valid - w, c31, s1);
        }
        if (TR.Count > 4)
        {
            Emit(g, o + 4 * n, res == null ? null : res + 4 * n, valid, c40, s0);
            if (TC.Count > 1) Emit(g, o + 4 * n + w, res == null ? null : res + 4 * n + w, valid - w, c41, s1);
        }
        if (TR.Count > 5)
        {
            Emit(g, o + 5 * n, res == null ? null : res + 5 * n, valid, c50, s0);
            if (TC.Count > 1) Emit(g, o + 5 * n + w, res == null ? null : res + 5 * n + w, valid - w, c51, s1);
        }
        if (TR.Count > 6)
        {
            Emit(g, o + 6 * n, res == null ? null : res + 6 * n, valid, c60, s0);
            if (TC.Count > 1) Emit(g, o + 6 * n + w, res == null ? null : res + 6 * n + w, valid - w, c61, s1);
        }
        if (TR.Count > 7)
        {
            Emit(g, o + 7 * n, res == null ? null : res + 7 * n, valid, c70, s0);
            if (TC.Count > 1) Emit(g, o + 7 * n + w, res == null ? null : res + 7 * n + w, valid - w, c71, s1);
        }
        if (TR.Count > 8)
        {
            Emit(g, o + 8 * n, res == null ? null : res + 8 * n, valid, c80, s0);
            if (TC.Count > 1) Emit(g, o + 8 * n + w, res == null ? null : res + 8 * n + w, valid - w, c81, s1);
        }
        if (TR.Count > 9)
        {
            Emit(g, o + 9 * n, res == null ? null : res + 9 * n, valid, c90, s0);
            if (TC.Count > 1) Emit(g, o + 9 * n + w, res == null ? null : res + 9 * n + w, valid - w, c91, s1);
        }
        if (TR.Count > 10)
        {
            Emit(g, o + 10 * n, res == null ? null : res + 10 * n, valid, c100, s0);
            if (TC.Count > 1) Emit(g, o + 10 * n + w, res == null ? null : res + 10 * n + w, valid - w, c101, s1);
        }
        if (TR.Count > 11)
        {
            Emit(g, o + 11 * n, res == null ? null : res + 11 * n, valid, c110, s0);
            if (TC.Count > 1) Emit(g, o + 11 * n + w, res == null ? null : res + 11 * n + w, valid - w, c111, s1);
        }
    }

    /// <summary>Activation, residual add and store of one register; <paramref name="valid"/> &lt; width masks the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(in StemConvCall g, float* dst, float* residual, int valid, TV v, TV slope)
    {
        if (g.Activation == ActivationKind.PRelu) v = TS.PRelu(v, slope);
        else if (g.Activation == ActivationKind.Relu) v = TS.Max(v, TS.Splat(0f));
        else if (g.Activation == ActivationKind.Relu6) v = TS.Min(TS.Max(v, TS.Splat(0f)), TS.Splat(6f));
        if (valid >= TS.Width)
        {
            if (residual != null) v = TS.Add(v, TS.Load(residual));
            TS.Store(dst, v);
        }
        else
        {
            if (residual != null) v = TS.Add(v, TS.LoadPartial(residual, valid));
            TS.StorePartial(dst, v, valid);
        }
    }
}
