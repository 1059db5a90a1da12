using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Gallery;

/// <summary>
/// bfloat16 copies of unit-length embeddings (the top 16 bits of an fp32, rounded to nearest even) and their dot
/// product with an fp32 probe. A scan over them reads half the memory of fp32, which is what bounds a large exact
/// search; the result is only a bound-checked first pass, never a final score.
/// </summary>
internal static class Bf16
{
    /// <summary>
    /// Largest difference between <see cref="Dot"/> on a rounded template and <see cref="EmbeddingMath.Dot"/> on the
    /// original, for unit-length vectors of up to 2,000 dimensions: rounding moves each component by at most 2⁻⁹ of
    /// itself, so the dot moves by at most 2⁻⁹·Σ|pᵢtᵢ| ≤ 2⁻⁹ (Cauchy–Schwarz), and the two fp32 sums each add at most
    /// n·2⁻²⁴ ≈ 1.2·10⁻⁴. 2⁻⁸ covers both with room to spare.
    /// </summary>
    public const float ErrorBound = 1f / 256;

    /// <summary>Rounds <paramref name="value"/> (finite) to bfloat16 bits, to nearest, ties to even.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>Rounds every value of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = FromSingle(source[i]);
    }

    /// <summary>Dot product of an fp32 probe with a bfloat16 row of the same length.</summary>
    public static float Dot(ReadOnlySpan<float> probe, ReadOnlySpan<ushort> row)
    {
        if (probe.Length != row.Length)
            throw new ArgumentException($"lengths differ: {probe.Length} and {row.Length}");
        ref float p = ref MemoryMarshal.GetReference(probe);
        ref ushort r = ref MemoryMarshal.GetReference(row);
        int n = probe.Length, i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<ushort>.Count)
        {
            // 32 bf16 values widen to two vectors of 16 fp32: zero-extend to 32 bits, then shift into the high half.
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            int w = Vector512<ushort>.Count, half = Vector512<float>.Count;
            for (; i + w <= n; i += w)
            {
                var packed = Vector512.LoadUnsafe(ref r, (nuint)i);
                var low = Vector512.ShiftLeft(Vector512.WidenLower(packed), 16).AsSingle();
                var high = Vector512.ShiftLeft(Vector512.WidenUpper(packed), 16).AsSingle();
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, (nuint)i), low, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, (nuint)(i + half)), high, s1);
            }

            total = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<ushort>.Count)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            int w = Vector256<ushort>.Count, half = Vector256<float>.Count;
            for (; i + w <= n; i += w)
            {
                var packed = Vector256.LoadUnsafe(ref r, (nuint)i);
                var low = Vector256.ShiftLeft(Vector256.WidenLower(packed), 16).AsSingle();
                var high = Vector256.ShiftLeft(Vector256.WidenUpper(packed), 16).AsSingle();
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)i), low, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(i + half)), high, s1);
            }

            total = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
            total = MathF.FusedMultiplyAdd(Unsafe.Add(ref p, i), BitConverter.UInt32BitsToSingle((uint)Unsafe.Add(ref r, i) << 16), total);
        return total;
    }
}
