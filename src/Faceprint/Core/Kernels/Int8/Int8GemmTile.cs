using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// The int8 GEMM micro-kernel, specialised by the JIT per dot-product instruction (<typeparamref name="TD"/>), rows
/// per tile (<typeparamref name="TR"/>, up to 12) and registers per row (<typeparamref name="TC"/>, 1 or 2 of 8
/// columns): the TR×(8·TC) block of 32-bit sums stays in registers for the whole K loop (one 32-bit broadcast of A
/// feeds TC dot products, one load of B feeds TR), then the float epilogue scales, adds the offset, applies the
/// activation and the residual, and stores once.
/// </summary>
internal static unsafe class Int8GemmTile<TD, TR, TC>
    where TD : struct, IInt8Dot where TR : struct, ITileCount where TC : struct, ITileCount
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in Int8GemmCall g, int row0, int panel)
    {
        int steps = g.Steps;
        // Each step of a panel holds 16 lanes × 4 bytes (64 bytes) for both layouts.
        byte* bp = g.B + (nint)panel * steps * 64;
        byte* ap = g.A + row0 * g.Lda;
        nint lda = g.Lda;
        Vector256<int> c00 = default, c01 = default;
        Vector256<int> c10 = default, c11 = default;
        Vector256<int> c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default;
        Vector256<int> c40 = default, c41 = default;
        Vector256<int> c50 = default, c51 = default;
        Vector256<int> c60 = default, c61 = default;
        Vector256<int> c70 = default, c71 = default;
        Vector256<int> c80 = default, c81 = default;
        Vector256<int> c90 = default, c91 = default;
        Vector256<int> c100 = default, c101 = default;
        Vector256<int> c110 = default, c111 = default;
        for (int s = 0; s < steps; s++, bp += 64, ap += 4)
        {
            var b0 = Vector256.Load((int*)bp);
            var b1 = TC.Count > 1 ? Vector256.Load((int*)(bp + 32)) : default;
            Vector256<int> x;
            {
                x = Vector256.Create(*(int*)(ap + 0 * lda));
                c00 = TD.Dot(c00, x, b0);
                if (TC.Count > 1) c01 = TD.Dot(c01, x, b1);
            }
            if (TR.Count > 1)
            {
                x = Vector256.Create(*(int*)(ap + 1 * lda));
                c10 = TD.Dot(c10, x, b0);
                if (TC.Count > 1) c11 = TD.Dot(c11, x, b1);
            }
            if (TR.Count > 2)
            {
                x = Vector256.Create(*(int*)(ap + 2 * lda));
                c20 = TD.Dot(c20, x, b0);
                if (TC.Count > 1) c21 = TD.Dot(c21, x, b1);
            }
            if (TR.Count > 3)
            {
                x = Vector256.Create(*(int*)(ap + 3 * lda));
                c30 = TD.Dot(c30, x, b0);
                if (TC.Count > 1) c31 = TD.Dot(c31, x, b1);
            }
            if (TR.Count > 4)
            {
                x = Vector256.Create(*(int*)(ap + 4 * lda));
                c40 = TD.Dot(c40, x, b0);
                if (TC.Count > 1) c41 = TD.Dot(c41, x, b1);
            }
            if (TR.Count > 5)
            {
                x = Vector256.Create(*(int*)(ap + 5 * lda));
                c50 = TD.Dot(c50, x, b0);
                if (TC.Count > 1) c51 = TD.Dot(c51, x, b1);
            }
            if (TR.Count > 6)
            {
                x = Vector256.Create(*(int*)(ap + 6 * lda));
                c60 = TD.Dot(c60, x, b0);
                if (TC.Count > 1) c61 = TD.Dot(c61, x, b1);
            }
            if (TR.Count > 7)
            {
                x = Vector256.Create(*(int*)(ap + 7 * lda));
                c70 = TD.Dot(c70, x, b0);
                if (TC.Count > 1) c71 = TD.Dot(c71, x, b1);
            }
            if (TR.Count > 8)
            {
                x = Vector256.Create(*(int*)(ap + 8 * lda));
                c80 = TD.Dot(c80, x, b0);
                if (TC.Count > 1) c81 = TD.Dot(c81, x, b1);
            }
            if (TR.Count > 9)
            {
                x = Vector256.Create(*(int*)(ap + 9 * lda));
                c90 = TD.Dot(c90, x, b0);
                if (TC.Count > 1) c91 = TD.Dot(c91, x, b1);
            }
            if (TR.Count > 10)
            {
                x = Vector256.Create(*(int*)(ap + 10 * lda));
                c100 = TD.Dot(c100, x, b0);
                if (TC.Count > 1) c101 = TD.Dot(c101, x, b1);
            }
            if (TR.Count > 11)
            {
                x = Vector256.Create(*(int*)(ap + 11 * lda));
                c110 = TD.Dot(c110, x, b0);
                if (TC.Count > 1) c111 = TD.Dot(c111, x, b1);
            }
        }
        int col = panel * Int8GemmWeights.PanelWidth, valid = Math.Min(Int8GemmWeights.PanelWidth, g.N - col);
        // The epilogue's operands as locals: a store through C or the codes may alias what g points at, so fields read
        // through g would be reloaded (and row addresses recomputed) after every row's store.
        var o = new Int8TileOutput(g, row0, col);
        Emit(o, 0, valid, c00, c01);
        if (TR.Count > 1)
        {
            Emit(o, 1, valid, c10, c11);
        }
        if (TR.Count > 2)
        {
            Emit(o, 2, valid, c20, c21);
        }
        if (TR.Count > 3)
        {
            Emit(o, 3, valid, c30, c31);
        }
        if (TR.Count > 4)
        {
            Emit(o, 4, valid, c40, c41);
        }
        if (TR.Count > 5)
        {
            Emit(o, 5, valid, c50, c51);
        }
        if (TR.Count > 6)
        {
            Emit(o, 6, valid, c60, c61);
        }
        if (TR.Count > 7)
        {
            Emit(o, 7, valid, c70, c71);
        }
        if (TR.Count > 8)
        {
            Emit(o, 8, valid, c80, c81);
        }
        if (TR.Count > 9)
        {
            Emit(o, 9, valid, c90, c91);
        }
        if (TR.Count > 10)
        {
            Emit(o, 10, valid, c100, c101);
        }
        if (TR.Count > 11)
        {
            Emit(o, 11, valid, c110, c111);
        }
    }

    /// <summary>
    /// The epilogue of rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rows"/>) of one panel from
    /// 32-bit sums in memory, 16 per row one row after another (as the emitted AVX-512 VNNI kernel stores them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void EmitSums(in Int8GemmCall g, int row0, int rows, int panel, int* sums)
    {
        int col = panel * Int8GemmWeights.PanelWidth, valid = Math.Min(Int8GemmWeights.PanelWidth, g.N - col);
        bool wide = Avx512F.IsSupported && TC.Count > 1;
        var o = new Int8TileOutput(g, row0, col);
        for (int r = 0; r < rows; r++, sums += Int8GemmWeights.PanelWidth)
        {
            // A whole row of sums is one 512-bit load: the register Emit would assemble from two halves.
            if (wide) Emit512(o, r * o.Ldc, valid, Vector512.Load(sums));
            else Emit(o, r, valid, Vector256.Load(sums), TC.Count > 1 ? Vector256.Load(sums + 8) : default);
        }
    }

    /// <summary>The epilogue of tile row <paramref name="r"/>: both registers at once on AVX-512, else each on its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(in Int8TileOutput o, int r, int valid, Vector256<int> acc0, Vector256<int> acc1)
    {
        nint at = r * o.Ldc;
        // With AVX-512 a full panel's epilogue runs on one 512-bit register per row: half the instructions.
        if (Avx512F.IsSupported && TC.Count > 1)
        {
            // One vinserti64x4 (Vector512.Create(lower, upper) zeroes a register and inserts twice).
            Emit512(o, at, valid, acc0.ToVector512Unsafe().WithUpper(acc1));
            return;
        }
        Emit(o, at, valid, acc0, o.Slopes.GetLower(), o.Scales.GetLower(), o.Offsets.GetLower(), o.InverseCodeScales.GetLower(), o.CodeZeroPoints.GetLower());
        if (TC.Count > 1)
            Emit(o, at + 8, valid - 8, acc1, o.Slopes.GetUpper(), o.Scales.GetUpper(), o.Offsets.GetUpper(), o.InverseCodeScales.GetUpper(), o.CodeZeroPoints.GetUpper());
    }

    /// <summary>The same arithmetic as the 256-bit epilogue on 16 columns at element <paramref name="at"/>; <paramref name="valid"/> &lt; 16 masks the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit512(in Int8TileOutput o, nint at, int valid, Vector512<int> acc)
    {
        var v = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(acc), o.Scales, o.Offsets);
        // Negative lanes multiplied in place (a masked vmulps), not a multiply and a blend.
        if (o.Activation == ActivationKind.PRelu) v = Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), v * o.Slopes, v);
        else if (o.Activation == ActivationKind.Relu) v = Avx512F.Max(v, Vector512<float>.Zero);
        if (o.Codes != null)
        {
            if (o.Residual != null) v += valid >= 16 ? Vector512.Load(o.Residual + at)
                : Avx512F.MaskLoad(o.Residual + at, Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)valid)), Vector512<float>.Zero);
            // Only the upper clamp: below −2³¹ (or NaN, which vminps's second operand passes) the conversion gives int.MinValue,
            // which stays negative after the zero point and becomes code 0, as the lower clamp would make it.
            var t = Avx512F.Min(Vector512.Create(Int8Quantize.Limit), v * o.InverseCodeScales);
            var q = Avx512F.Max(Avx512F.Add(Avx512F.ConvertToVector512Int32(t), o.CodeZeroPoints), Vector512<int>.Zero);
            var bytes = Avx512F.ConvertToVector128ByteWithSaturation(q.AsUInt32());
            byte* to = o.Codes + at;
            if (valid >= 16) bytes.Store(to);
            else if (Avx512BW.VL.IsSupported) Avx512BW.VL.MaskStore(to, Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)valid)), bytes);
            else Sse2.MaskMove(bytes, Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)valid)), to);
            return;
        }
        float* dst = o.C + at;
        if (valid >= 16)
        {
            if (o.Residual != null) v += Vector512.Load(o.Residual + at);
            v.Store(dst);
        }
        else
        {
            var mask = Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)valid));
            if (o.Residual != null) v += Avx512F.MaskLoad(o.Residual + at, mask, Vector512<float>.Zero);
            Avx512F.MaskStore(dst, mask, v);
        }
    }

    /// <summary>Scale, offset, activation, residual add and store of one register at element <paramref name="at"/>; <paramref name="valid"/> &lt; 8 masks the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(in Int8TileOutput o, nint at, int valid, Vector256<int> acc, Vector256<float> slope, Vector256<float> scale,
        Vector256<float> offset, Vector256<float> inverseCodeScale, Vector256<int> codeZeroPoint)
    {
        var v = Fma.MultiplyAdd(Avx.ConvertToVector256Single(acc), scale, offset);
        if (o.Activation == ActivationKind.PRelu) v = Avx.BlendVariable(v * slope, v, Avx.CompareGreaterThanOrEqual(v, Vector256<float>.Zero));
        else if (o.Activation == ActivationKind.Relu) v = Avx.Max(v, Vector256<float>.Zero);
        if (o.Codes != null)
        {
            if (o.Residual != null) v += valid >= 8 ? Vector256.Load(o.Residual + at) : Avx.MaskLoad(o.Residual + at, Int8GemmCall.TailMask(valid));
            var t = Avx.Min(Avx.Max(v * inverseCodeScale, Vector256.Create(-Int8Quantize.Limit)), Vector256.Create(Int8Quantize.Limit));
            var q = Avx2.Add(Avx.ConvertToVector256Int32(t), codeZeroPoint);
            var words = Sse41.PackUnsignedSaturate(q.GetLower(), q.GetUpper());
            var bytes = Sse2.PackUnsignedSaturate(words.AsInt16(), words.AsInt16());
            byte* to = o.Codes + at;
            // Tails store with one masked instruction: a call here would make the JIT spill the tile's accumulators.
            if (valid >= 8) Sse2.StoreScalar((long*)to, bytes.AsInt64());
            else if (Avx512BW.VL.IsSupported) Avx512BW.VL.MaskStore(to, Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)valid)), bytes);
            else Sse2.MaskMove(bytes, Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)valid)), to);
            return;
        }
        float* dst = o.C + at;
        if (valid >= 8)
        {
            if (o.Residual != null) v += Vector256.Load(o.Residual + at);
            v.Store(dst);
        }
        else
        {
            var mask = Int8GemmCall.TailMask(valid);
            if (o.Residual != null) v += Avx.MaskLoad(o.Residual + at, mask);
            Avx.MaskStore(dst, mask, v);
        }
    }
}
