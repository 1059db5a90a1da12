namespace Faceprint.Imaging;

/// <summary>
/// Turns pixels stored in an EXIF orientation (1..8, the values of <c>SKEncodedOrigin</c>) into an upright image.
/// Skia's <c>SKCodec</c> reports the origin but does not apply it, and phone photos are commonly stored
/// sideways with orientation 6 or 8; a sideways face is not detected.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>
    /// Returns the upright image; orientation 1 and unknown values return <paramref name="image"/> itself.
    /// EXIF semantics: the value says where stored row 0 and stored column 0 appear when displayed.
    /// </summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
            return image;
        int w = image.Width, h = image.Height;
        bool swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                var (dx, dy) = orientation switch
                {
                    2 => (w - 1 - x, y),             // mirrored horizontally
                    3 => (w - 1 - x, h - 1 - y),     // rotated 180
                    4 => (x, h - 1 - y),             // mirrored vertically
                    5 => (y, x),                     // transposed
                    6 => (h - 1 - y, x),             // stored rotated 90 CCW: rotate 90 CW to fix
                    7 => (h - 1 - y, w - 1 - x),     // transverse
                    _ => (y, w - 1 - x),             // 8: stored rotated 90 CW: rotate 90 CCW to fix
                };
                int s = (y * w + x) * 3, t = (dy * ow + dx) * 3;
                dst[t] = src[s];
                dst[t + 1] = src[s + 1];
                dst[t + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, dst);
    }
}
