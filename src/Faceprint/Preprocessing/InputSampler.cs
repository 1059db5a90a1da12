using Faceprint.Imaging;

namespace Faceprint.Preprocessing;

/// <summary>
/// Writes normalised network input (NHWC floats) by bilinear sampling of an <see cref="RgbImage"/>:
/// scaled regions for the detector (optionally transposed, as MTCNN's weights expect) and affine warps
/// for alignment. Pixels outside the image read as black, like OpenCV's constant border.
/// </summary>
public static class InputSampler
{
    /// <summary>
    /// Resamples the source rectangle (x, y, width, height in pixels, may extend past the image) to
    /// <paramref name="outW"/>×<paramref name="outH"/>. With <paramref name="transpose"/> the destination is
    /// laid out [outW][outH][3] (width-major), i.e. the image seen with its axes swapped.
    /// </summary>
    public static void ResizeRegion(RgbImage image, float x, float y, float width, float height, int outW, int outH,
        InputNormalization norm, bool transpose, Span<float> destination)
    {
        float scaleX = width / outW, scaleY = height / outH;
        for (int oy = 0; oy < outH; oy++)
        {
            // Pixel centres map to pixel centres, as in Skia's and OpenCV's bilinear scaling.
            float sy = y + (oy + 0.5f) * scaleY - 0.5f;
            for (int ox = 0; ox < outW; ox++)
            {
                float sx = x + (ox + 0.5f) * scaleX - 0.5f;
                int at = transpose ? (ox * outH + oy) * 3 : (oy * outW + ox) * 3;
                SampleClamped(image, sx, sy, norm, destination.Slice(at, 3), clampInside: x >= 0 && y >= 0 && x + width <= image.Width && y + height <= image.Height);
            }
        }
    }

    /// <summary>
    /// Fills a <paramref name="size"/>×<paramref name="size"/> RGB float input where output pixel (u, v) reads
    /// the image at (a·u + b·v + tx, c·u + d·v + ty), the inverse of the alignment transform.
    /// </summary>
    public static void WarpAffine(RgbImage image, in AffineTransform inverse, int size, InputNormalization norm, Span<float> destination)
    {
        for (int v = 0; v < size; v++)
            for (int u = 0; u < size; u++)
            {
                var (sx, sy) = inverse.Apply(u, v);
                SampleClamped(image, sx, sy, norm, destination.Slice((v * size + u) * 3, 3), clampInside: false);
            }
    }

    /// <summary>
    /// Bilinear read. Inside a region known to lie in the image, edge coordinates are clamped (no dark
    /// fringe from sampling just past the border); elsewhere out-of-image neighbours count as black.
    /// </summary>
    private static void SampleClamped(RgbImage image, float sx, float sy, InputNormalization norm, Span<float> rgb, bool clampInside)
    {
        int w = image.Width, h = image.Height;
        if (clampInside)
        {
            sx = Math.Clamp(sx, 0, w - 1);
            sy = Math.Clamp(sy, 0, h - 1);
        }
        int x0 = (int)MathF.Floor(sx), y0 = (int)MathF.Floor(sy);
        float fx = sx - x0, fy = sy - y0;
        byte[] p = image.Pixels;
        float r = 0, g = 0, b = 0;
        for (int dy = 0; dy < 2; dy++)
        {
            int yy = y0 + dy;
            float wy = dy == 0 ? 1 - fy : fy;
            if (wy == 0 || (uint)yy >= (uint)h) continue;
            for (int dx = 0; dx < 2; dx++)
            {
                int xx = x0 + dx;
                float weight = wy * (dx == 0 ? 1 - fx : fx);
                if (weight == 0 || (uint)xx >= (uint)w) continue;
                int at = (yy * w + xx) * 3;
                r += weight * p[at];
                g += weight * p[at + 1];
                b += weight * p[at + 2];
            }
        }
        // Black (0) outside the image, normalised like any other pixel value.
        float inv = 1f / norm.Std;
        rgb[0] = (r - norm.Mean) * inv;
        rgb[1] = (g - norm.Mean) * inv;
        rgb[2] = (b - norm.Mean) * inv;
    }
}
