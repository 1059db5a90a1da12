using SkiaSharp;

namespace Faceprint.Imaging;

/// <summary>Encodes <see cref="RgbImage"/>s as PNG (lossless, so overlays and debug crops show exact pixels).</summary>
public static class ImageWriter
{
    /// <summary>Encodes the image as an 8-bit RGB PNG.</summary>
    /// <exception cref="FaceprintException">The encoder failed.</exception>
    public static unsafe byte[] EncodePng(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        var rgba = ToRgba(image);
        // Opaque alpha type makes Skia write a 3-channel PNG with no alpha channel.
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, w * 4);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new FaceprintException($"PNG encoding of a {w}x{h} image failed");
            return data.ToArray();
        }
    }

    /// <summary>The pixels as opaque RGBA, the layout Skia draws from.</summary>
    public static byte[] ToRgba(RgbImage image)
    {
        var rgba = new byte[(long)image.Width * image.Height * 4];
        var src = image.Pixels;
        for (long s = 0, d = 0; s < src.Length; s += 3, d += 4)
        {
            rgba[d] = src[s];
            rgba[d + 1] = src[s + 1];
            rgba[d + 2] = src[s + 2];
            rgba[d + 3] = 255;
        }
        return rgba;
    }

    /// <summary>Writes the image as a PNG file, creating the parent directory if needed and replacing any existing file.</summary>
    /// <exception cref="FaceprintException">The file could not be written or the encoder failed.</exception>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = EncodePng(image);
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FaceprintException($"cannot write {path}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }
}
