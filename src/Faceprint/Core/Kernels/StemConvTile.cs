using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The register tile of <see cref="StemConvKernel"/>: TR output pixels of one row (<typeparamref name="TR"/>, up to 12) ×
/// one column panel of the packed kernel (<typeparamref name="TC"/> registers, 1 or 2) stay in registers while the taps
/// stream by. Each tap is broadcast straight from the NHWC input — pixel r's value sits r·stride·cin floats after pixel
/// 0's — and the taps of one kernel row, (kx, ci), are contiguous in both the input and the packed kernel, so a kernel row
/// is one run of kw·cin steps. Taps are summed in the GEMM's k order (ky, kx, ci) from the bias up; taps over the padding
/// are skipped where the GEMM would add 0·w, so the result is the im2col GEMM's bit for bit. The epilogue writes floats,
/// or u8 codes computed as <see cref="Int8QuantizeChannels"/> computes them from those floats.
/// </summary>
internal static unsafe class StemConvTile<TS, TV, TR, TC>
    where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount where TC : struct, ITileCount
{
    /// <summary>
    /// Pixels [0, TR) from <paramref name="window"/> (input at pixel 0's window origin, which may lie in the padding) to
    /// output element <paramref name="at"/> on (pixel 0's first channel) in panel <paramref name="panel"/>, over kernel rows
    /// [<paramref name="kyFrom"/>, <paramref name="kyTo"/>) and columns [<paramref name="kxFrom"/>, <paramref name="kxTo"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in StemConvCall g, float* window, nint at, int panel, int kyFrom, int kyTo, int kxFrom, int kxTo)
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
        nint n = g.N, o = at + col;
        Emit(g, o, col, valid, c00, s0);
        if (TC.Count > 1) Emit(g, o + w, col + w, valid - w, c01, s1);
        if (TR.Count > 1)
        {
            Emit(g, o + 1 * n, col, valid, c10, s0);
            if (TC.Count > 1) Emit(g, o + 1 * n + w, col + w, valid - w, c11, s1);
        }
        if (TR.Count > 2)
        {
            Emit(g, o + 2 * n, col, valid, c20, s0);
            if (TC.Count > 1) Emit(g, o + 2 * n + w, col + w, valid - w, c21, s1);
        }
        if (TR.Count > 3)
        {
            Emit(g, o + 3 * n, col, valid, c30, s0);
            if (TC.Count > 1) Emit(g, o + 3 * n + w, col + w, valid - w, c31, s1);
        }
        if (TR.Count > 4)
        {
            Emit(g, o + 4 * n, col, valid, c40, s0);
            if (TC.Count > 1) Emit(g, o + 4 * n + w, col + w, valid - w, c41, s1);
        }
        if (TR.Count > 5)
        {
            Emit(g, o + 5 * n, col, valid, c50, s0);
            if (TC.Count > 1) Emit(g, o + 5 * n + w, col + w, valid - w, c51, s1);
        }
        if (TR.Count > 6)
        {
            Emit(g, o + 6 * n, col, valid, c60, s0);
            if (TC.Count > 1) Emit(g, o + 6 * n + w, col + w, valid - w, c61, s1);
        }
        if (TR.Count > 7)
        {
            Emit(g, o + 7 * n, col, valid, c70, s0);
            if (TC.Count > 1) Emit(g, o + 7 * n + w, col + w, valid - w, c71, s1);
        }
        if (TR.Count > 8)
        {
            Emit(g, o + 8 * n, col, valid, c80, s0);
            if (TC.Count > 1) Emit(g, o + 8 * n + w, col + w, valid - w, c81, s1);
        }
        if (TR.Count > 9)
        {
            Emit(g, o + 9 * n, col, valid, c90, s0);
            if (TC.Count > 1) Emit(g, o + 9 * n + w, col + w, valid - w, c91, s1);
        }
        if (TR.Count > 10)
        {
            Emit(g, o + 10 * n, col, valid, c100, s0);
            if (TC.Count > 1) Emit(g, o + 10 * n + w, col + w, valid - w, c101, s1);
        }
        if (TR.Count > 11)
        {
            Emit(g, o + 11 * n, col, valid, c110, s0);
            if (TC.Count > 1) Emit(g, o + 11 * n + w, col + w, valid - w, c111, s1);
        }
    }

    /// <summary>
    /// Activation, residual add and store (or quantization to codes) of one register holding output element
    /// <paramref name="at"/> on, channels from <paramref name="col"/>; <paramref name="valid"/> &lt; width masks the tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(in StemConvCall g, nint at, int col, int valid, TV v, TV slope)
    {
        if (g.Activation == ActivationKind.PRelu) v = TS.PRelu(v, slope);
        else if (g.Activation == ActivationKind.Relu) v = TS.Max(v, TS.Splat(0f));
        else if (g.Activation == ActivationKind.Relu6) v = TS.Min(TS.Max(v, TS.Splat(0f)), TS.Splat(6f));
        bool full = valid >= TS.Width;
        if (g.Residual != null) v = TS.Add(v, full ? TS.Load(g.Residual + at) : TS.LoadPartial(g.Residual + at, valid));
        if (g.Codes != null) EmitCodes(g.Codes + at, v, g.CodeInverse + col, g.CodeZeroPoints + col, valid);
        else if (full) TS.Store(g.C + at, v);
        else TS.StorePartial(g.C + at, v, valid);
    }

    /// <summary>
    /// The codes of one register's lanes, the first <paramref name="valid"/> stored, computed as <see cref="Int8QuantizeChannels"/>
    /// computes them (<see cref="Int8Quantize.Codes16"/>, <see cref="Int8Quantize.Codes8"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EmitCodes(byte* dst, TV v, float* inverse, int* zero, int valid)
    {
        if (typeof(TV) == typeof(Vector512<float>))
        {
            var bytes = Int8Quantize.Codes16(Unsafe.As<TV, Vector512<float>>(ref v), Vector512.Load(inverse), Vector512.Load(zero));
            if (valid >= 16) bytes.Store(dst);
            else Int8Quantize.StorePartial(bytes, dst, valid);
        }
        else if (typeof(TV) == typeof(Vector256<float>))
        {
            var bytes = Int8Quantize.Codes8(Unsafe.As<TV, Vector256<float>>(ref v), Vector256.Load(inverse), Vector256.Load(zero));
            if (valid >= 8) Sse2.StoreScalar((long*)dst, bytes.AsInt64());
            else Int8Quantize.StorePartial(bytes, dst, valid);
        }
        else
        {
            var x = Unsafe.As<TV, Vector<float>>(ref v);
            for (int i = 0; i < Math.Min(valid, Vector<float>.Count); i++) dst[i] = (byte)Int8Quantize.Code(x[i], inverse[i], zero[i]);
        }
    }
}
