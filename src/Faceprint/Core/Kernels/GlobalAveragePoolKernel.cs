using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>Mean over all positions of each image, per channel (<c>AdaptiveAvgPool2d(1)</c>), SIMD across channels.</summary>
public static class GlobalAveragePoolKernel
{
    /// <summary>Pools images [imageStart, imageEnd): input pixels × C each, output C each.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int pixels, int channels, int imageStart, int imageEnd)
    {
        float inverse = 1f / pixels;
        for (int image = imageStart; image < imageEnd; image++)
        {
            var acc = output.Slice(image * channels, channels);
            acc.Clear();
            var x = input.Slice(image * pixels * channels, pixels * channels);
            for (int p = 0; p < pixels; p++)
            {
                var row = x.Slice(p * channels, channels);
                int j = 0;
                for (; j + Vector<float>.Count <= channels; j += Vector<float>.Count)
                    (new Vector<float>(acc.Slice(j)) + new Vector<float>(row.Slice(j))).CopyTo(acc.Slice(j));
                for (; j < channels; j++) acc[j] += row[j];
            }
            var scale = new Vector<float>(inverse);
            int k = 0;
            for (; k + Vector<float>.Count <= channels; k += Vector<float>.Count) (new Vector<float>(acc.Slice(k)) * scale).CopyTo(acc.Slice(k));
            for (; k < channels; k++) acc[k] *= inverse;
        }
    }
}
