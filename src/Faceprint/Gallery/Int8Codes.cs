using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Gallery;

/// <summary>
/// 8-bit copies of embeddings (one scale per embedding, codes in [-127, 127]) and their rough dot product with an fp32
/// probe, with a proven bound on how far that is from the fp32 dot. A scan over the codes reads a quarter of the memory
/// of fp32, which is what limits a large exact search; a rough score is only ever a first pass, never a result.
/// </summary>
internal static class Int8Codes
{
    /// <summary>
    /// Room for the fp32 summation error of the rough and the exact dot (each at most n·2⁻²⁴·Σ|pᵢtᵢ| ≤ 1.2·10⁻⁴ for
    /// unit vectors of up to 2,000 dimensions), with margin.
    /// </summary>
    private const float SummationSlack = 1f / 2048;

    /// <summary>
    /// Rounding each component to the nearest code moves it by at most half a step (scale/2; a little more for the
    /// fp32 division that finds the code).
    /// </summary>
    private const float HalfStep = 0.5001f;

    /// <summary>Writes the codes of <paramref name="embedding"/> into <paramref name="codes"/> and returns the scale.</summary>
    public static float Encode(ReadOnlySpan<float> embedding, Span<sbyte> codes)
    {
        float max = 0;
        foreach (var v in embedding)
            max = MathF.Max(max, MathF.Abs(v));
        float scale = max / 127;
        for (int i = 0; i < embedding.Length; i++)
            codes[i] = scale == 0 ? (sbyte)0 : (sbyte)Math.Clamp(MathF.Round(embedding[i] / scale), -127, 127);
        return scale;
    }

    /// <summary>
    /// Per unit of an embedding's scale, how far its rough score with <paramref name="probe"/> can be from the exact one:
    /// the half-step errors weighted by the probe, Σ|pᵢ|·scale/2. Multiply by the scale and add <see cref="Slack"/>.
    /// </summary>
    public static float ErrorPerScale(ReadOnlySpan<float> probe)
    {
        double l1 = 0;
        foreach (var p in probe)
            l1 += Math.Abs(p);
        return (float)(l1 * HalfStep);
    }

    /// <summary>The constant part of the error bound: see <see cref="SummationSlack"/>.</summary>
    public static float Slack => SummationSlack;

    /// <summary>Σ pᵢ·codeᵢ: the rough score divided by the embedding's scale.</summary>
    public static float Dot(ReadOnlySpan<float> probe, ReadOnlySpan<sbyte> codes)
    {
        if (probe.Length != codes.Length)
            throw new ArgumentException($"lengths differ: {probe.Length} and {codes.Length}");
        ref float p = ref MemoryMarshal.GetReference(probe);
        ref sbyte c = ref MemoryMarshal.GetReference(codes);
        int n = probe.Length, i = 0;
        float total = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector256<sbyte>.Count)
        {
            // 32 codes widen to two vectors of 16 int32 (sign-extended), then convert to fp32.
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            int w = Vector256<sbyte>.Count, half = Vector512<float>.Count;
            for (; i + w <= n; i += w)
            {
                var shorts = Vector512.WidenLower(Vector256.LoadUnsafe(ref c, (nuint)i).ToVector512Unsafe());
                var low = Vector512.ConvertToSingle(Vector512.WidenLower(shorts));
                var high = Vector512.ConvertToSingle(Vector512.WidenUpper(shorts));
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, (nuint)i), low, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, (nuint)(i + half)), high, s1);
            }

            total = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector128<sbyte>.Count)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            int w = Vector128<sbyte>.Count, half = Vector256<float>.Count;
            for (; i + w <= n; i += w)
            {
                var shorts = Vector256.WidenLower(Vector128.LoadUnsafe(ref c, (nuint)i).ToVector256Unsafe());
                var low = Vector256.ConvertToSingle(Vector256.WidenLower(shorts));
                var high = Vector256.ConvertToSingle(Vector256.WidenUpper(shorts));
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)i), low, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(i + half)), high, s1);
            }

            total = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
            total = MathF.FusedMultiplyAdd(Unsafe.Add(ref p, i), Unsafe.Add(ref c, i), total);
        return total;
    }
}
