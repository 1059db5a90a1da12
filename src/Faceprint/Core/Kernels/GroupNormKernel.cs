namespace Faceprint.Core.Kernels;

/// <summary>
/// GroupNorm on NHWC: per image and group, mean and biased variance over every pixel and the group's channels,
/// then the per-channel affine γ, β, as <c>nn.GroupNorm</c>. FaceLiVT's MHLA uses one group (a LayerNorm over
/// C·H·W with per-channel affine).
/// </summary>
public static class GroupNormKernel
{
    /// <summary>Normalises images [imageStart, imageEnd) of <paramref name="input"/> (each pixels × C) into <paramref name="output"/>.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int pixels, int groups, float epsilon, int imageStart, int imageEnd)
    {
        int c = gamma.Length, perGroup = c / groups, perImage = pixels * c;
        for (int image = imageStart; image < imageEnd; image++)
        {
            var x = input.Slice(image * perImage, perImage);
            var y = output.Slice(image * perImage, perImage);
            for (int g = 0; g < groups; g++)
            {
                int first = g * perGroup;
                float mean, inverse;
                if (groups == 1)
                {
                    // One group covers the image contiguously: reduce it in one sweep.
                    mean = VectorMath.Sum(x) / perImage;
                    inverse = 1f / MathF.Sqrt(VectorMath.SumOfSquaredDeviations(x, mean) / perImage + epsilon);
                }
                else
                {
                    float sum = 0f, squares = 0f;
                    for (int p = 0; p < pixels; p++) sum += VectorMath.Sum(x.Slice(p * c + first, perGroup));
                    mean = sum / (pixels * perGroup);
                    for (int p = 0; p < pixels; p++) squares += VectorMath.SumOfSquaredDeviations(x.Slice(p * c + first, perGroup), mean);
                    inverse = 1f / MathF.Sqrt(squares / (pixels * perGroup) + epsilon);
                }
                for (int p = 0; p < pixels; p++)
                    LayerNormKernel.Normalize(x.Slice(p * c + first, perGroup), y.Slice(p * c + first, perGroup), mean, inverse,
                        gamma.Slice(first, perGroup), beta.Slice(first, perGroup));
            }
        }
    }
}
