using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Float NHWC pixels → u8 codes with one scale and zero point per channel (the last axis), rounding exactly as
/// <see cref="Int8Quantize.Code"/> does (scale, clamp to ±512, round half to even, add the zero point, clamp to [0, 255]).
/// </summary>
internal static unsafe class Int8QuantizeChannels
{
    /// <summary>
    /// Quantizes <paramref name="pixels"/> pixels of <paramref name="channels"/> floats into as many codes; channel c uses
    /// <paramref name="inverseScales"/>[c] and <paramref name="zeroPoints"/>[c].
    /// </summary>
    public static void Pixels(float* src, int pixels, int channels, float* inverseScales, int* zeroPoints, byte* dst)
    {
        for (int p = 0; p < pixels; p++)
        {
            float* s = src + (nint)p * channels;
            byte* d = dst + (nint)p * channels;
            int c = 0;
            if (Avx2.IsSupported)
            {
                var limit = Vector256.Create(Int8Quantize.Limit);
                for (; c + 8 <= channels; c += 8)
                {
                    var t = Avx.Min(Avx.Max(Avx.LoadVector256(s + c) * Avx.LoadVector256(inverseScales + c), -limit), limit);
                    var q = Avx2.Add(Avx.ConvertToVector256Int32(t), Avx.LoadVector256(zeroPoints + c));
                    var words = Sse41.PackUnsignedSaturate(q.GetLower(), q.GetUpper());
                    Sse2.StoreScalar((long*)(d + c), Sse2.PackUnsignedSaturate(words.AsInt16(), words.AsInt16()).AsInt64());
                }
            }
            for (; c < channels; c++) d[c] = (byte)Int8Quantize.Code(s[c], inverseScales[c], zeroPoints[c]);
        }
    }
}
