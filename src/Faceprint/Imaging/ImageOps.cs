namespace Faceprint.Imaging;

/// <summary>Pixel-level geometry on <see cref="RgbImage"/>: crop, bilinear resize and mirror.</summary>
public static class ImageOps
{
    /// <summary>Copies the <paramref name="width"/>×<paramref name="height"/> rectangle whose top-left corner is (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle is empty or not entirely inside the image.</exception>
    public static RgbImage Crop(RgbImage image, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (x < 0 || y < 0 || (long)x + width > image.Width || (long)y + height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(x),
                $"crop {width}x{height} at ({x},{y}) is outside the {image.Width}x{image.Height} image");
        var dst = new byte[(long)width * height * 3];
        int rowBytes = width * 3;
        for (int r = 0; r < height; r++)
            Array.Copy(image.Pixels, ((long)(y + r) * image.Width + x) * 3, dst, (long)r * rowBytes, rowBytes);
        return new RgbImage(width, height, dst);
    }

    /// <summary>The image mirrored left to right (flip-test augmentation).</summary>
    public static RgbImage FlipHorizontal(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var dst = new byte[image.Pixels.Length];
        int w = image.Width;
        for (int r = 0; r < image.Height; r++)
        {
            int row = r * w * 3;
            for (int c = 0; c < w; c++)
            {
                int from = row + c * 3, to = row + (w - 1 - c) * 3;
                dst[to] = image.Pixels[from];
                dst[to + 1] = image.Pixels[from + 1];
                dst[to + 2] = image.Pixels[from + 2];
            }
        }
        return new RgbImage(w, image.Height, dst);
    }

    /// <summary>
    /// Bilinear resize with pixel centres aligned (source coordinate = (dst + 0.5)·scale − 0.5, clamped at the
    /// edges), the convention of OpenCV's <c>INTER_LINEAR</c> that detector preprocessing is usually written
    /// against. No antialiasing: shrinking by more than 2× skips source pixels, as OpenCV does.
    /// </summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int sw = image.Width, sh = image.Height;
        if (sw == width && sh == height)
            return new RgbImage(width, height, (byte[])image.Pixels.Clone());

        // Per-column taps are the same for every row, so compute them once.
        var x0 = new int[width];
        var x1 = new int[width];
        var fx = new float[width];
        Taps(sw, width, x0, x1, fx);
        var y0 = new int[height];
        var y1 = new int[height];
        var fy = new float[height];
        Taps(sh, height, y0, y1, fy);

        var src = image.Pixels;
        var dst = new byte[(long)width * height * 3];
        for (int y = 0; y < height; y++)
        {
            long r0 = (long)y0[y] * sw * 3, r1 = (long)y1[y] * sw * 3;
            float wy = fy[y];
            long d = (long)y * width * 3;
            for (int x = 0; x < width; x++, d += 3)
            {
                long a = r0 + x0[x] * 3, b = r0 + x1[x] * 3, c = r1 + x0[x] * 3, e = r1 + x1[x] * 3;
                float wx = fx[x];
                for (int ch = 0; ch < 3; ch++)
                {
                    float top = src[a + ch] + (src[b + ch] - src[a + ch]) * wx;
                    float bottom = src[c + ch] + (src[e + ch] - src[c + ch]) * wx;
                    float v = top + (bottom - top) * wy;
                    dst[d + ch] = (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
                }
            }
        }
        return new RgbImage(width, height, dst);
    }

    private static void Taps(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac)
    {
        double scale = (double)srcSize / dstSize;
        for (int i = 0; i < dstSize; i++)
        {
            double s = Math.Clamp((i + 0.5) * scale - 0.5, 0, srcSize - 1);
            int lo = (int)s;
            i0[i] = lo;
            i1[i] = Math.Min(lo + 1, srcSize - 1);
            frac[i] = (float)(s - lo);
        }
    }
}
