namespace Faceprint.Imaging;

/// <summary>
/// An image decoded at a possibly reduced size (see <see cref="ImageLimits.MaxDecodePixels"/>), with the size of the
/// full image, both after EXIF orientation. Coordinates found in <see cref="Image"/> map to the full image by
/// multiplying with <see cref="ScaleX"/> and <see cref="ScaleY"/>.
/// </summary>
/// <param name="Image">The decoded pixels.</param>
/// <param name="Width">Width of the full image.</param>
/// <param name="Height">Height of the full image.</param>
public sealed record DecodedImage(RgbImage Image, int Width, int Height)
{
    /// <summary>Full-image pixels per decoded pixel, horizontally (1 when decoded at full size).</summary>
    public double ScaleX => (double)Width / Image.Width;

    /// <summary>Full-image pixels per decoded pixel, vertically.</summary>
    public double ScaleY => (double)Height / Image.Height;

    /// <summary>Whether the image was decoded below its full size.</summary>
    public bool IsReduced => Image.Width != Width || Image.Height != Height;
}
