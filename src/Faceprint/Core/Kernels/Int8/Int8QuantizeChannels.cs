using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Float NHWC data → u8 codes with one scale and zero point per channel (the last axis), rounding exactly as
/// <see cref="Int8Quantize.Code"/> does (scale, clamp to ±512, round half to even, add the zero point, clamp to [0, 255]).
/// The data runs as one flat array, 16 (or 8) elements per step with the terms of <see cref="Int8ChannelTerms"/> at the
/// running phase, so a channel count that is not a multiple of the register leaves no tail per pixel.
/// </summary>
internal static unsafe class Int8QuantizeChannels
{
    /// <summary>Elements per vector step this CPU runs: 16 with AVX-512, 8 with AVX2, else 1 (scalar).</summary>
    public static int BestLanes { get; } = Avx512F.IsSupported ? 16 : Avx2.IsSupported ? 8 : 1;

    /// <summary>
    /// Quantizes <paramref name="count"/> floats that start at flat NHWC element <paramref name="first"/> (so channel
    /// <paramref name="first"/> mod C comes first) into as many codes. <paramref name="lanes"/> (16, 8 or 1; at most
    /// <see cref="BestLanes"/>) picks the vector width; every width gives the same codes.
    /// </summary>
    public static void Run(float* src, long first, long count, Int8ChannelTerms terms, byte* dst, int lanes)
    {
        if (lanes > BestLanes || lanes is not (16 or 8 or 1)) throw new ArgumentException($"{lanes} lanes: this CPU runs at most {BestLanes}");
        int period = terms.Period, j = terms.PhaseOf(first);
        long i = 0;
        fixed (float* inverse = terms.Inverse)
        fixed (int* zero = terms.ZeroPoints)
        {
            if (lanes == 16)
            {
                for (; i + 16 <= count; i += 16)
                {
                    Int8Quantize.Codes16(Vector512.Load(src + i), Vector512.Load(inverse + j), Vector512.Load(zero + j)).Store(dst + i);
                    j += 16;
                    if (j >= period) j -= period;
                }
            }
            if (lanes >= 8)
            {
                for (; i + 8 <= count; i += 8)
                {
                    var bytes = Int8Quantize.Codes8(Vector256.Load(src + i), Vector256.Load(inverse + j), Vector256.Load(zero + j));
                    Sse2.StoreScalar((long*)(dst + i), bytes.AsInt64());
                    j += 8;
                    if (j >= period) j -= period;
                }
            }
            // The terms run 16 lanes past the period, so the (fewer than 8, or scalar: any) remaining lanes read them in place.
            for (; i < count; i++)
            {
                dst[i] = (byte)Int8Quantize.Code(src[i], inverse[j], zero[j]);
                if (++j == period) j = 0;
            }
        }
    }
}
