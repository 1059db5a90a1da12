using SkiaSharp;

namespace Faceprint.Imaging;

/// <summary>
/// Encodes <see cref="RgbImage"/>s as PNG (lossless, so overlays and debug crops show exact pixels) or JPEG, the
/// format a file is written in following its extension.
/// </summary>
public static class ImageWriter
{
    /// <summary>JPEG quality (0–100) used for <see cref="ImageFileFormat.Jpeg"/>: high, since overlays carry thin lines.</summary>
    public const int JpegQuality = 95;

    /// <summary>The extensions <see cref="Save"/> accepts, for messages.</summary>
    public const string SupportedExtensions = ".png, .jpg, .jpeg";

    /// <summary>The format a file named <paramref name="path"/> is written in, by its extension (case-insensitive); null when none fits.</summary>
    public static ImageFileFormat? FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            _ => null,
        };
    }

    /// <summary>Encodes the image as an 8-bit RGB PNG.</summary>
    /// <exception cref="FaceprintException">The encoder failed.</exception>
    public static byte[] EncodePng(RgbImage image) => Encode(image, ImageFileFormat.Png);

    /// <summary>Encodes the image in <paramref name="format"/> (PNG without alpha, or JPEG at <see cref="JpegQuality"/>).</summary>
    /// <exception cref="FaceprintException">The encoder failed.</exception>
    public static unsafe byte[] Encode(RgbImage image, ImageFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        var rgba = ToRgba(image);
        // Opaque alpha type makes Skia write a 3-channel PNG with no alpha channel.
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var (skiaFormat, quality) = format switch
        {
            ImageFileFormat.Png => (SKEncodedImageFormat.Png, 100),
            ImageFileFormat.Jpeg => (SKEncodedImageFormat.Jpeg, JpegQuality),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, w * 4);
            using var data = pixmap.Encode(skiaFormat, quality)
                ?? throw new FaceprintException($"{format} encoding of a {w}x{h} image failed");
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
    public static void SavePng(RgbImage image, string path) => Write(Encode(image, ImageFileFormat.Png), path);

    /// <summary>
    /// Writes the image in the format its extension names (<see cref="FormatOf"/>), creating the parent directory if
    /// needed and replacing any existing file.
    /// </summary>
    /// <exception cref="FaceprintException">The extension names no format this writer has, the file could not be written, or the encoder failed.</exception>
    public static void Save(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = FormatOf(path) ?? throw new FaceprintException($"cannot write {path}: unknown image extension (use {SupportedExtensions})");
        Write(Encode(image, format), path);
    }

    private static void Write(byte[] bytes, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
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
