using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// GroupNorm on NHWC: per image and group, mean and biased variance over every pixel and the group's channels,
/// then the per-channel affine γ, β, as <c>nn.GroupNorm</c>. FaceLiVT's MHLA uses one group (a LayerNorm over
/// C·H·W with per-channel affine).
/// </summary>
public static unsafe class GroupNormKernel
{
    /// <summary>Normalises images [imageStart, imageEnd) of <paramref name="input"/> (each pixels × C) into <paramref name="output"/>.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int pixels, int groups, float epsilon, int imageStart, int imageEnd) =>
        Run(input, output, gamma, beta, pixels, groups, epsilon, imageStart, imageEnd, KernelIsas.Best);

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, float, int, int)"/> on a given instruction set (tests compare them).</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int pixels, int groups, float epsilon, int imageStart, int imageEnd, KernelIsa isa)
    {
        int c = gamma.Length, perGroup = c / groups, perImage = pixels * c;
        if (beta.Length != c || groups < 1 || c % groups != 0) throw new ArgumentException($"{groups} groups, {c} γ and {beta.Length} β do not fit");
        if (input.Length < (long)imageEnd * perImage || output.Length < (long)imageEnd * perImage) throw new ArgumentException("input or output is too short for the images");
        for (int image = imageStart; image < imageEnd; image++)
        {
            var x = input.Slice(image * perImage, perImage);
            var y = output.Slice(image * perImage, perImage);
            if (groups == 1)
            {
                // One group covers the image contiguously (MHLA): flat sweeps over the whole image, no per-pixel calls.
                fixed (float* px = x)
                fixed (float* py = y)
                fixed (float* pg = gamma)
                fixed (float* pb = beta)
                {
                    switch (isa)
                    {
                        case KernelIsa.Avx512: OneGroup<Avx512Simd, Vector512<float>>(px, py, pg, pb, pixels, c, epsilon); break;
                        case KernelIsa.Avx2: OneGroup<Avx2Simd, Vector256<float>>(px, py, pg, pb, pixels, c, epsilon); break;
                        default: OneGroup<PortableSimd, Vector<float>>(px, py, pg, pb, pixels, c, epsilon); break;
                    }
                }
                continue;
            }
            for (int g = 0; g < groups; g++)
            {
                int first = g * perGroup;
                float sum = 0f, squares = 0f;
                for (int p = 0; p < pixels; p++) sum += VectorMath.Sum(x.Slice(p * c + first, perGroup));
                float mean = sum / (pixels * perGroup);
                for (int p = 0; p < pixels; p++) squares += VectorMath.SumOfSquaredDeviations(x.Slice(p * c + first, perGroup), mean);
                float inverse = 1f / MathF.Sqrt(squares / (pixels * perGroup) + epsilon);
                for (int p = 0; p < pixels; p++)
                    LayerNormKernel.Normalize(x.Slice(p * c + first, perGroup), y.Slice(p * c + first, perGroup), mean, inverse,
                        gamma.Slice(first, perGroup), beta.Slice(first, perGroup));
            }
        }
    }

    /// <summary>
    /// One image, one group: the sum and the squared deviations each in one sweep with four accumulators (a single one
    /// waits on the add latency every vector), then y = (x − mean)·inverse·γ + β pixel by pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneGroup<TS, TV>(float* x, float* y, float* gamma, float* beta, int pixels, int c, float epsilon)
        where TS : struct, ISimd<TV> where TV : struct
    {
        int n = pixels * c, w = TS.Width, i;
        TV a0 = TS.Splat(0f), a1 = a0, a2 = a0, a3 = a0;
        for (i = 0; i + 4 * w <= n; i += 4 * w)
        {
            a0 = TS.Add(a0, TS.Load(x + i));
            a1 = TS.Add(a1, TS.Load(x + i + w));
            a2 = TS.Add(a2, TS.Load(x + i + 2 * w));
            a3 = TS.Add(a3, TS.Load(x + i + 3 * w));
        }
        for (; i + w <= n; i += w) a0 = TS.Add(a0, TS.Load(x + i));
        if (i < n) a1 = TS.Add(a1, TS.LoadPartial(x + i, n - i));
        float mean = TS.SumAcross(TS.Add(TS.Add(a0, a1), TS.Add(a2, a3))) / n;

        var m = TS.Splat(mean);
        a0 = TS.Splat(0f); a1 = a0; a2 = a0; a3 = a0;
        for (i = 0; i + 4 * w <= n; i += 4 * w)
        {
            TV d0 = TS.Subtract(TS.Load(x + i), m), d1 = TS.Subtract(TS.Load(x + i + w), m);
            TV d2 = TS.Subtract(TS.Load(x + i + 2 * w), m), d3 = TS.Subtract(TS.Load(x + i + 3 * w), m);
            a0 = TS.MultiplyAdd(d0, d0, a0);
            a1 = TS.MultiplyAdd(d1, d1, a1);
            a2 = TS.MultiplyAdd(d2, d2, a2);
            a3 = TS.MultiplyAdd(d3, d3, a3);
        }
        for (; i + w <= n; i += w)
        {
            TV d = TS.Subtract(TS.Load(x + i), m);
            a0 = TS.MultiplyAdd(d, d, a0);
        }
        // The tail one value at a time: a zero-filled partial load would count (−mean)² for the lanes past the end.
        float tail = 0f;
        for (; i < n; i++) tail += (x[i] - mean) * (x[i] - mean);
        float inverse = 1f / MathF.Sqrt((TS.SumAcross(TS.Add(TS.Add(a0, a1), TS.Add(a2, a3))) + tail) / n + epsilon);

        var s = TS.Splat(inverse);
        for (int p = 0; p < pixels; p++)
        {
            float* xp = x + (nint)p * c, yp = y + (nint)p * c;
            int j = 0;
            for (; j + w <= c; j += w)
                TS.Store(yp + j, TS.Add(TS.Multiply(TS.Multiply(TS.Subtract(TS.Load(xp + j), m), s), TS.Load(gamma + j)), TS.Load(beta + j)));
            if (j < c)
            {
                int left = c - j;
                TS.StorePartial(yp + j, TS.Add(TS.Multiply(TS.Multiply(TS.Subtract(TS.LoadPartial(xp + j, left), m), s), TS.LoadPartial(gamma + j, left)),
                    TS.LoadPartial(beta + j, left)), left);
            }
        }
    }
}
