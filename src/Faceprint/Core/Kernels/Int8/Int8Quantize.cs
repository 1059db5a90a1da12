using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Float rows → the 8-bit codes the int8 GEMM reads (A operand): bytes for the VNNI and portable paths, the same codes
/// widened to 16 bits for the AVX2 path; each row padded with zero codes to the packed K. Every path rounds the same
/// way (scale, clamp to ±512, round half to even, add the zero point, clamp to [0, 255]), so codes are identical.
/// </summary>
internal static unsafe class Int8Quantize
{
    /// <summary>Bound of the scaled value before rounding, so the conversion to int never overflows.</summary>
    internal const float Limit = 512f;

    /// <summary>One code, as the vector paths compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Code(float x, float inverseScale, int zeroPoint)
    {
        float t = Math.Clamp(x * inverseScale, -Limit, Limit);
        return Math.Clamp((int)MathF.Round(t) + zeroPoint, 0, QuantParams.MaxCode);
    }

    /// <summary>
    /// Quantizes <paramref name="rows"/> rows of <paramref name="k"/> floats (<paramref name="lda"/> apart) into
    /// <paramref name="dst"/>, <paramref name="kp"/> codes per row, in <paramref name="isa"/>'s element width.
    /// </summary>
    public static void Rows(float* a, int lda, int rows, int k, int kp, float inverseScale, int zeroPoint, byte* dst, Int8Isa isa)
    {
        // Dense unpadded rows (a 1×1 conv with K % 4 == 0) are one long row: no short tails per row.
        if (lda == k && kp == k)
        {
            k = kp = lda = rows * k;
            rows = 1;
        }
        for (int r = 0; r < rows; r++)
        {
            float* src = a + (nint)r * lda;
            if (isa == Int8Isa.Avx2) Row16(src, k, kp, inverseScale, zeroPoint, (ushort*)dst + (nint)r * kp);
            else Row8(src, k, kp, inverseScale, zeroPoint, dst + (nint)r * kp, vector: isa == Int8Isa.AvxVnni);
        }
    }

    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="k"/> codes (<paramref name="lda"/> apart) into
    /// <paramref name="dst"/>, <paramref name="kp"/> per row zero-padded, widened to 16 bits for the AVX2 path.
    /// </summary>
    public static void CopyRows(byte* a, int lda, int rows, int k, int kp, byte* dst, Int8Isa isa)
    {
        for (int r = 0; r < rows; r++)
        {
            byte* src = a + (nint)r * lda;
            if (isa == Int8Isa.Avx2)
            {
                ushort* to = (ushort*)dst + (nint)r * kp;
                int i = 0;
                for (; i + 16 <= k; i += 16) Avx2.ConvertToVector256Int16(Vector128.Load(src + i)).AsUInt16().Store(to + i);
                for (; i < k; i++) to[i] = src[i];
                for (; i < kp; i++) to[i] = 0;
            }
            else
            {
                byte* to = dst + (nint)r * kp;
                new ReadOnlySpan<byte>(src, k).CopyTo(new Span<byte>(to, k));
                for (int i = k; i < kp; i++) to[i] = 0;
            }
        }
    }

    /// <summary><paramref name="count"/> floats → codes, vectorised where AVX2 is present.</summary>
    public static void Bytes(float* src, int count, float inverseScale, int zeroPoint, byte* dst) =>
        Row8(src, count, count, inverseScale, zeroPoint, dst, vector: Avx2.IsSupported);

    /// <summary>
    /// Stores the first <paramref name="count"/> (≤ 16) bytes of <paramref name="bytes"/> (a masked tail) with one masked
    /// store instruction: a call or a loop here would make the JIT spill a micro-kernel's accumulators around it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(Vector128<byte> bytes, byte* dst, int count)
    {
        var mask = Vector128.LessThan(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((byte)count));
        if (Avx512BW.VL.IsSupported) Avx512BW.VL.MaskStore(dst, mask, bytes);
        else Sse2.MaskMove(bytes, mask, dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Codes(float* p, Vector256<float> inv, Vector256<int> zero)
    {
        var t = Avx.Min(Avx.Max(Avx.LoadVector256(p) * inv, Vector256.Create(-Limit)), Vector256.Create(Limit));
        var i = Avx2.Add(Avx.ConvertToVector256Int32(t), zero);
        return Avx2.Min(Avx2.Max(i, Vector256<int>.Zero), Vector256.Create(QuantParams.MaxCode));
    }

    /// <summary>
    /// The 16 codes (as <see cref="Code"/>) of <paramref name="x"/>, each lane with its own 1 / scale and zero point
    /// (broadcast them for one set): narrowed by one saturating vpmovusdb.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Codes16(Vector512<float> x, Vector512<float> inverse, Vector512<int> zero)
    {
        var t = Avx512F.Min(Avx512F.Max(x * inverse, Vector512.Create(-Limit)), Vector512.Create(Limit));
        var q = Avx512F.Max(Avx512F.Add(Avx512F.ConvertToVector512Int32(t), zero), Vector512<int>.Zero);
        return Avx512F.ConvertToVector128ByteWithSaturation(q.AsUInt32());
    }

    /// <summary>The 8 codes (as <see cref="Code"/>) of <paramref name="x"/> in the low 8 bytes, per-lane terms as <see cref="Codes16"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Codes8(Vector256<float> x, Vector256<float> inverse, Vector256<int> zero)
    {
        var t = Avx.Min(Avx.Max(x * inverse, Vector256.Create(-Limit)), Vector256.Create(Limit));
        var q = Avx2.Add(Avx.ConvertToVector256Int32(t), zero);
        // The two unsigned saturating packs clamp to [0, 255] on the way down.
        var words = Sse41.PackUnsignedSaturate(q.GetLower(), q.GetUpper());
        return Sse2.PackUnsignedSaturate(words.AsInt16(), words.AsInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row8(float* src, int k, int kp, float inverseScale, int zeroPoint, byte* dst, bool vector)
    {
        int i = 0;
        if (vector && Avx512F.IsSupported)
        {
            // 16 codes per step, narrowed by one saturating vpmovusdb: a third of the 256-bit path's instructions per code.
            var inv = Vector512.Create(inverseScale);
            var zero = Vector512.Create(zeroPoint);
            for (; i + 32 <= k; i += 32)
            {
                Codes16(Vector512.Load(src + i), inv, zero).Store(dst + i);
                Codes16(Vector512.Load(src + i + 16), inv, zero).Store(dst + i + 16);
            }
            for (; i + 16 <= k; i += 16) Codes16(Vector512.Load(src + i), inv, zero).Store(dst + i);
        }
        if (vector)
        {
            var inv = Vector256.Create(inverseScale);
            var zero = Vector256.Create(zeroPoint);
            // packs interleave 128-bit lanes; this permutation restores element order.
            var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
            for (; i + 32 <= k; i += 32)
            {
                var w01 = Avx2.PackSignedSaturate(Codes(src + i, inv, zero), Codes(src + i + 8, inv, zero));
                var w23 = Avx2.PackSignedSaturate(Codes(src + i + 16, inv, zero), Codes(src + i + 24, inv, zero));
                var bytes = Avx2.PackUnsignedSaturate(w01, w23);
                Avx2.PermuteVar8x32(bytes.AsInt32(), order).AsByte().Store(dst + i);
            }
            for (; i + 8 <= k; i += 8)
            {
                var codes = Codes(src + i, inv, zero);
                var words = Sse41.PackUnsignedSaturate(codes.GetLower(), codes.GetUpper());
                Sse2.StoreScalar((long*)(dst + i), Sse2.PackUnsignedSaturate(words.AsInt16(), words.AsInt16()).AsInt64());
            }
        }
        for (; i < k; i++) dst[i] = (byte)Code(src[i], inverseScale, zeroPoint);
        for (; i < kp; i++) dst[i] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row16(float* src, int k, int kp, float inverseScale, int zeroPoint, ushort* dst)
    {
        int i = 0;
        var inv = Vector256.Create(inverseScale);
        var zero = Vector256.Create(zeroPoint);
        for (; i + 16 <= k; i += 16)
        {
            var words = Avx2.PackUnsignedSaturate(Codes(src + i, inv, zero), Codes(src + i + 8, inv, zero));
            Avx2.Permute4x64(words.AsUInt64(), 0b11_01_10_00).AsUInt16().Store(dst + i);
        }
        for (; i + 8 <= k; i += 8)
        {
            var codes = Codes(src + i, inv, zero);
            Sse41.PackUnsignedSaturate(codes.GetLower(), codes.GetUpper()).Store(dst + i);
        }
        for (; i < k; i++) dst[i] = (ushort)Code(src[i], inverseScale, zeroPoint);
        for (; i < kp; i++) dst[i] = 0;
    }
}
