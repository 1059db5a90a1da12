using Faceprint.Imaging;

namespace Faceprint.Detection.BlazeFace;

/// <summary>
/// The square region of image pixels a square model input covers when the image is scaled with its aspect ratio
/// kept and centred: the long side fills the input, the short side is padded equally on both ends (with black,
/// MediaPipe's zero border). Maps normalised input coordinates back to image pixels.
/// </summary>
internal readonly record struct Letterbox(float X, float Y, float Side)
{
    public static Letterbox For(RgbImage image)
    {
        float side = Math.Max(image.Width, image.Height);
        return new Letterbox((image.Width - side) / 2, (image.Height - side) / 2, side);
    }

    /// <summary>Image position of a normalised input position, in edge coordinates (0 is the image's left edge), for box edges.</summary>
    public PointF ToEdges(float nx, float ny) => new(X + nx * Side, Y + ny * Side);

    /// <summary>
    /// Image position of a normalised input position in pixel-index coordinates (pixel i's centre is i), the convention
    /// of landmarks and of the alignment warp: half a pixel less than <see cref="ToEdges"/>.
    /// </summary>
    public PointF ToPixels(float nx, float ny) => new(X + nx * Side - 0.5f, Y + ny * Side - 0.5f);
}
