namespace Faceprint.Imaging;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved R,G,B with no row padding.
/// EXIF orientation has already been applied when it comes from <see cref="ImageLoader"/>.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps existing pixels; <paramref name="pixels"/> must hold width·height·3 bytes.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height * 3)
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[checked(width * height * 3)]) { }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, <c>(y·Width + x)·3 + channel</c>.</summary>
    public byte[] Pixels { get; }
}
