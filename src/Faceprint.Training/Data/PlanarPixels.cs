using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Training.Data;

/// <summary>Converts an RGB image into the network's planar (CHW), normalised float layout.</summary>
internal static class PlanarPixels
{
    /// <summary>
    /// Writes <paramref name="image"/>, resized to <paramref name="size"/>² when needed and optionally mirrored, into
    /// <paramref name="destination"/> (3·size² floats: R plane, G plane, B plane).
    /// </summary>
    public static void Write(RgbImage image, int size, InputNormalization normalization, bool flip, Span<float> destination)
    {
        if (image.Width != size || image.Height != size)
            image = ImageOps.Resize(image, size, size);
        int plane = size * size;
        float mean = normalization.Mean, scale = 1f / normalization.Std;
        var src = image.Pixels;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int s = (y * size + (flip ? size - 1 - x : x)) * 3, d = y * size + x;
                destination[d] = (src[s] - mean) * scale;
                destination[d + plane] = (src[s + 1] - mean) * scale;
                destination[d + 2 * plane] = (src[s + 2] - mean) * scale;
            }
    }
}
