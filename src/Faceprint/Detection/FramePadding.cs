using Faceprint.Imaging;

namespace Faceprint.Detection;

/// <summary>
/// A face that fills the frame (an ID photo, an avatar, a tightly cropped dataset image) gives the cascade no
/// context around it and its box would cross the border, so the detector misses it. Detecting again on a copy with
/// a black border gives that context back. Black, because the aligner reads pixels outside the photo as black too:
/// the crop embedded later is the one the detector saw.
/// </summary>
public static class FramePadding
{
    /// <summary>
    /// Longer side the photo is scaled down to before the retry: a face that fills the frame needs no more pixels than
    /// this to be found (it is aligned from the full photo afterwards), and the retry's cost stays bounded however
    /// large the photo.
    /// </summary>
    public const int RetrySide = 480;

    /// <summary>Border on each side, as a fraction of the image's longer side.</summary>
    public const float BorderFraction = 0.25f;

    /// <summary>A copy of <paramref name="image"/> with a black border of <paramref name="border"/> pixels on every side.</summary>
    public static RgbImage Pad(RgbImage image, int border)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        int width = image.Width + 2 * border, height = image.Height + 2 * border;
        var padded = new RgbImage(width, height);
        int row = image.Width * 3;
        for (int y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * row, padded.Pixels, ((y + border) * width + border) * 3, row);
        return padded;
    }

    /// <summary>Border in pixels for <paramref name="image"/>.</summary>
    public static int BorderFor(RgbImage image) => Math.Max(1, (int)MathF.Ceiling(Math.Max(image.Width, image.Height) * BorderFraction));

    /// <summary>
    /// <paramref name="face"/> found on the padded copy of the photo scaled by <paramref name="scale"/>, in the original
    /// photo's coordinates.
    /// </summary>
    public static DetectedFace Unpad(DetectedFace face, int border, float scale = 1f)
    {
        var b = face.Box;
        return face with
        {
            Box = new BoundingBox((b.X1 - border) / scale, (b.Y1 - border) / scale, (b.X2 - border) / scale, (b.Y2 - border) / scale),
            Landmarks = face.Landmarks.Select(p => new PointF((p.X - border) / scale, (p.Y - border) / scale)).ToArray(),
            FoundWithBorder = true,
        };
    }
}
