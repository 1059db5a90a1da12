namespace Faceprint.Liveness;

/// <summary>
/// The package's blur check: on the grey version of the network's input (0.3 R + 0.59 G + 0.11 B of the 8-bit
/// values, truncated to an integer), count the interior pixels whose 4-neighbour Laplacian (up + down + left +
/// right − 4·centre) exceeds <see cref="AntiSpoofingModel.LaplacianLevel"/>. Few such pixels means a blurry crop.
/// </summary>
public static class SharpnessMeter
{
    /// <summary>Counts sharp pixels of a <paramref name="size"/>×<paramref name="size"/> RGB input in [0, 1] (NHWC, one image).</summary>
    public static int Count(ReadOnlySpan<float> rgb, int size)
    {
        if (size < 3 || rgb.Length < size * size * 3) throw new ArgumentException("the input must hold a size×size RGB image, size ≥ 3");
        int count = 0;
        for (int y = 1; y < size - 1; y++)
            for (int x = 1; x < size - 1; x++)
            {
                int at = y * size + x;
                int laplacian = Grey(rgb, at - size) + Grey(rgb, at + size) + Grey(rgb, at - 1) + Grey(rgb, at + 1) - 4 * Grey(rgb, at);
                if (laplacian > AntiSpoofingModel.LaplacianLevel) count++;
            }
        return count;
    }

    /// <summary>Grey level of pixel <paramref name="i"/>, from the 8-bit values the package's bitmap holds.</summary>
    private static int Grey(ReadOnlySpan<float> rgb, int i)
    {
        float r = MathF.Round(rgb[3 * i] * 255), g = MathF.Round(rgb[3 * i + 1] * 255), b = MathF.Round(rgb[3 * i + 2] * 255);
        return (int)(r * 0.3f + g * 0.59f + b * 0.11f);
    }
}
