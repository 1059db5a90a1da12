using System.Globalization;
using SkiaSharp;

namespace Faceprint.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) into upright 8-bit <see cref="RgbImage"/>s.
/// Every failure is an <see cref="ImageLoadException"/> whose message is one line naming the file and the problem.
/// </summary>
/// <remarks>
/// <para>Size limits are checked from the header before any pixel memory is allocated (decompression bombs).</para>
/// <para>EXIF orientation is applied, so a phone photo stored sideways comes out upright.</para>
/// <para>Transparent pixels are composited over white: transparent-background portraits and cut-outs are drawn
/// for display on white, and a face against black would have its dark hair and outline merge into the
/// background; white is also what a viewer shows.</para>
/// <para>Pixel values are not colour-managed (an embedded ICC profile is ignored), matching OpenCV and PIL, which
/// the reference face models were trained and evaluated with.</para>
/// <para>A truncated file is an error, not a partly grey image: a half-decoded face gives a wrong embedding
/// without any sign that something went wrong.</para>
/// </remarks>
public static class ImageLoader
{
    private const string SupportedList = "JPEG, PNG, WebP, BMP, GIF";

    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageLoadException">Missing, unreadable, empty, not an image, unsupported, corrupt, truncated or too large.</exception>
    public static async Task<RgbImage> LoadAsync(string path, ImageLimits? limits = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ImageLimits.Default;
        string name = OneLine(path);
        if (Directory.Exists(path))
            throw new ImageLoadException($"{name} is a directory, not an image file");
        if (!File.Exists(path))
            throw new ImageLoadException($"file not found: {name}");

        byte[] data;
        try
        {
            await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            data = await ReadAllAsync(fs, name, limits, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageLoadException($"file not found: {name}", ex); // deleted between the check and the open
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ImageLoadException($"cannot read {name}: permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new ImageLoadException($"cannot read {name}: {OneLine(ex.Message)}", ex);
        }
        return Decode(data, limits, name);
    }

    /// <summary>Reads <paramref name="stream"/> to its end (without closing it) and decodes the image.</summary>
    /// <param name="stream">A readable stream positioned at the start of the encoded image.</param>
    /// <param name="limits">Size limits; <see cref="ImageLimits.Default"/> when null.</param>
    /// <param name="sourceName">How to name the image in error messages (e.g. the URL or file name).</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="ImageLoadException">Unreadable, empty, not an image, unsupported, corrupt, truncated or too large.</exception>
    public static async Task<RgbImage> LoadAsync(Stream stream, ImageLimits? limits = null, string? sourceName = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
            throw new ArgumentException("stream is not readable", nameof(stream));
        limits ??= ImageLimits.Default;
        string name = sourceName is null ? "image stream" : OneLine(sourceName);
        byte[] data;
        try
        {
            data = await ReadAllAsync(stream, name, limits, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ImageLoadException($"cannot read {name}: {OneLine(ex.Message)}", ex);
        }
        return Decode(data, limits, name);
    }

    /// <summary>
    /// The width and height the header of an encoded image states, read without decoding anything; false when the
    /// format is unknown or its header does not state them cheaply.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        var header = ImageSniffer.Sniff(data);
        (width, height) = (header.Width, header.Height);
        return width > 0 && height > 0;
    }

    /// <summary>Decodes an encoded image held in memory (at a reduced size if <paramref name="limits"/> sets <see cref="ImageLimits.MaxDecodePixels"/>).</summary>
    /// <param name="data">The encoded bytes (JPEG, PNG, WebP, BMP or GIF).</param>
    /// <param name="limits">Size limits; <see cref="ImageLimits.Default"/> when null.</param>
    /// <param name="sourceName">How to name the image in error messages; "image data" when null.</param>
    /// <exception cref="ImageLoadException">Empty, not an image, unsupported, corrupt, truncated or too large.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null, string? sourceName = null) =>
        DecodeScaled(data, limits, sourceName).Image;

    /// <summary>
    /// Decodes an encoded image held in memory, at most <see cref="ImageLimits.MaxDecodePixels"/> pixels of it, and
    /// says how the decoded pixels map to the full image.
    /// </summary>
    /// <inheritdoc cref="Decode" path="/param"/>
    /// <exception cref="ImageLoadException">Empty, not an image, unsupported, corrupt, truncated, too large, or too large
    /// for a reduced decode that its format does not allow.</exception>
    public static DecodedImage DecodeScaled(ReadOnlySpan<byte> data, ImageLimits? limits = null, string? sourceName = null)
    {
        limits ??= ImageLimits.Default;
        string name = sourceName is null ? "image data" : OneLine(sourceName);
        if (data.IsEmpty)
            throw new ImageLoadException($"{name}: empty file");
        if (data.Length > limits.MaxBytes)
            throw TooManyBytes(name, data.Length, limits);

        var header = ImageSniffer.Sniff(data);
        if (header.Format == SniffedFormat.Text)
            throw new ImageLoadException($"{name}: not an image (the file contains text)");
        if (header.Format != SniffedFormat.Unknown && !ImageSniffer.IsSupported(header.Format))
            throw new ImageLoadException($"{name}: unsupported image format {ImageSniffer.Name(header.Format)} (supported: {SupportedList})");
        // Checked before Skia sees the data: its codec may allocate per-row state while parsing the header.
        if (header.Width > 0 && header.Height > 0)
            CheckPixels(name, header.Width, header.Height, limits);
        // Skia's interlaced PNG reader buffers the whole image whatever the output size: no bounded decode for it.
        if (header.Format == SniffedFormat.Png && IsInterlacedPng(data) && limits.MaxDecodePixels is { } budget && (long)header.Width * header.Height > budget)
            throw TooLargeForReducedDecode(name, "interlaced PNG", header.Width, header.Height, budget);

        try
        {
            return DecodeWithSkia(data, name, header.Format, limits);
        }
        catch (ImageLoadException)
        {
            throw;
        }
        catch (OutOfMemoryException ex)
        {
            throw new ImageLoadException($"{name}: not enough memory to decode the image", ex);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new ImageLoadException($"{name}: the native image library (SkiaSharp) could not be loaded: {OneLine(ex.Message)}", ex);
        }
        catch (Exception ex)
        {
            // Contract: callers only ever see ImageLoadException from here, never a Skia or runtime exception.
            throw new ImageLoadException($"{name}: could not decode the image: {OneLine(ex.Message)}", ex);
        }
    }

    private static unsafe DecodedImage DecodeWithSkia(ReadOnlySpan<byte> data, string name, SniffedFormat sniffed, ImageLimits limits)
    {
        using var skData = SKData.CreateCopy(data);
        // Not disposed here: SKCodec.Create always takes ownership of the native stream, even when it fails.
        var stream = new SKMemoryStream(skData);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
            throw CreateFailed(name, sniffed, createResult);

        var info = codec.Info;
        string format = FormatName(codec.EncodedFormat);
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageLoadException($"{name}: {format} header states an empty image ({info.Width}x{info.Height})");
        CheckPixels(name, info.Width, info.Height, limits);

        if (limits.MaxDecodePixels is { } maxDecode && (long)info.Width * info.Height > maxDecode)
            return DecodeReduced(codec, data, name, format, maxDecode);

        long rgbaBytes = (long)info.Width * info.Height * 4;
        if (rgbaBytes > Array.MaxLength || (long)info.Width * 4 > int.MaxValue)
            throw new ImageLoadException($"{name} is {info.Width}x{info.Height}, too large to decode in one buffer");

        // Unpremultiplied so the composite below sees true colours; no colour space so nothing is converted.
        var dstInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[rgbaBytes];
        SKCodecResult result;
        fixed (byte* p = rgba)
            result = codec.GetPixels(dstInfo, (IntPtr)p, info.Width * 4, SKCodecOptions.Default);

        ThrowOnFailure(result, name, format);

        var rgb = CompositeOverWhite(rgba, info.Width, info.Height);
        return Oriented(rgb, info.Width, info.Height, codec);
    }

    /// <summary>
    /// Decodes to at most <paramref name="maxPixels"/>: by the codec's own scaling when it offers a small enough size
    /// (JPEG's DCT scaling, WebP), otherwise row by row, averaging f×f boxes as the rows stream past, so no buffer of
    /// the full image ever exists.
    /// </summary>
    private static unsafe DecodedImage DecodeReduced(SKCodec codec, ReadOnlySpan<byte> data, string name, string format, long maxPixels)
    {
        var info = codec.Info;
        int factor = (int)Math.Ceiling(Math.Sqrt((double)info.Width * info.Height / maxPixels));
        var native = codec.GetScaledDimensions(1f / factor);
        if (native.Width > 0 && native.Height > 0 && native.Width < info.Width && (long)native.Width * native.Height <= maxPixels)
        {
            var scaledInfo = new SKImageInfo(native.Width, native.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var scaled = new byte[(long)native.Width * native.Height * 4];
            SKCodecResult nativeResult;
            fixed (byte* p = scaled)
                nativeResult = codec.GetPixels(scaledInfo, (IntPtr)p, native.Width * 4, SKCodecOptions.Default);
            ThrowOnFailure(nativeResult, name, format);
            return Oriented(CompositeOverWhite(scaled, native.Width, native.Height), info.Width, info.Height, codec);
        }

        var box = new BoxDownsampler(info.Width, info.Height, factor);
        if (codec.EncodedFormat == SKEncodedImageFormat.Png)
        {
            // Skia's PNG codec has no scanline decoding; the rows are streamed here instead.
            var png = PngRowReader.TryCreate(data.ToArray(), out string reason)
                ?? throw TooLargeForReducedDecode(name, reason, info.Width, info.Height, maxPixels);
            png.ReadRows(name, box.AddRow);
            return Oriented(box.Finish(), info.Width, info.Height, codec);
        }

        var rowInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (codec.StartScanlineDecode(rowInfo) != SKCodecResult.Success || codec.ScanlineOrder is not (SKCodecScanlineOrder.TopDown or SKCodecScanlineOrder.BottomUp))
            throw TooLargeForReducedDecode(name, format, info.Width, info.Height, maxPixels);

        var row = new byte[info.Width * 4];
        fixed (byte* p = row)
        {
            for (int y = 0; y < info.Height; y++)
            {
                if (codec.GetScanlines((IntPtr)p, 1, row.Length) != 1)
                    throw new ImageLoadException($"{name}: truncated or corrupt {format} data (decoding stopped at row {y} of {info.Height})");
                int sourceRow = codec.ScanlineOrder == SKCodecScanlineOrder.BottomUp ? info.Height - 1 - y : y;
                box.AddRow(sourceRow, row);
            }
        }

        return Oriented(box.Finish(), info.Width, info.Height, codec);
    }

    /// <summary>Applies the EXIF orientation and pairs the pixels with the full image's upright size.</summary>
    private static DecodedImage Oriented(RgbImage decoded, int fullWidth, int fullHeight, SKCodec codec)
    {
        int origin = (int)codec.EncodedOrigin;
        var upright = ExifOrientation.Apply(decoded, origin);
        // Orientations 5 to 8 turn the image a quarter, swapping its sides.
        return origin is >= 5 and <= 8
            ? new DecodedImage(upright, fullHeight, fullWidth)
            : new DecodedImage(upright, fullWidth, fullHeight);
    }

    private static void ThrowOnFailure(SKCodecResult result, string name, string format)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageLoadException($"{name}: truncated {format} data (the file ends before the image is complete)");
            case SKCodecResult.ErrorInInput:
                throw new ImageLoadException($"{name}: corrupt {format} data (decoding failed part way through the image)");
            default:
                throw new ImageLoadException($"{name}: could not decode {format} image ({result})");
        }
    }

    private static ImageLoadException TooLargeForReducedDecode(string name, string format, int width, int height, long maxPixels) =>
        new($"{name} is {width}x{height} = {Mega((long)width * height)} Mpx; images over {Mega(maxPixels)} Mpx are decoded at reduced size, "
            + $"which this {format} file does not allow: send it at most {Mega(maxPixels)} Mpx, or as JPEG, WebP or non-interlaced PNG");

    /// <summary>Byte 12 of the PNG header chunk (file offset 28) is the interlace method; 1 is Adam7.</summary>
    private static bool IsInterlacedPng(ReadOnlySpan<byte> data) => data.Length > 28 && data[28] == 1;

    /// <summary>Drops alpha, blending each pixel over white: c·a + 255·(1 − a), rounded.</summary>
    internal static RgbImage CompositeOverWhite(byte[] rgba, int width, int height)
    {
        var rgb = new byte[(long)width * height * 3];
        long n = (long)width * height;
        for (long i = 0, s = 0, d = 0; i < n; i++, s += 4, d += 3)
        {
            int a = rgba[s + 3];
            if (a == 255)
            {
                rgb[d] = rgba[s];
                rgb[d + 1] = rgba[s + 1];
                rgb[d + 2] = rgba[s + 2];
            }
            else
            {
                int white = 255 * (255 - a);
                rgb[d] = (byte)((rgba[s] * a + white + 127) / 255);
                rgb[d + 1] = (byte)((rgba[s + 1] * a + white + 127) / 255);
                rgb[d + 2] = (byte)((rgba[s + 2] * a + white + 127) / 255);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static ImageLoadException CreateFailed(string name, SniffedFormat sniffed, SKCodecResult result)
    {
        if (sniffed == SniffedFormat.Unknown)
            return new ImageLoadException($"{name}: not a recognised image format (supported: {SupportedList})");
        string format = ImageSniffer.Name(sniffed);
        return result == SKCodecResult.IncompleteInput
            ? new ImageLoadException($"{name}: truncated {format} data (the file ends inside the header)")
            : new ImageLoadException($"{name}: corrupt {format} header ({result})");
    }

    private static void CheckPixels(string name, int width, int height, ImageLimits limits)
    {
        long pixels = (long)width * height;
        if (pixels <= limits.MaxPixels)
            return;
        string have = Mega(pixels), max = Mega(limits.MaxPixels);
        // Show exact counts when rounding would make both numbers look equal.
        if (have == max)
            (have, max) = (pixels.ToString(CultureInfo.InvariantCulture) + " px", limits.MaxPixels.ToString(CultureInfo.InvariantCulture) + " px");
        else
            (have, max) = (have + " Mpx", max + " Mpx");
        throw new ImageLoadException($"{name} is {width}x{height} = {have}, over the {max} limit");
    }

    private static ImageLoadException TooManyBytes(string name, long bytes, ImageLimits limits)
    {
        string have = Mega(bytes), max = Mega(limits.MaxBytes);
        if (have == max)
            return new ImageLoadException($"{name} is {bytes} bytes, over the {limits.MaxBytes} byte limit");
        return new ImageLoadException($"{name} is {have} MB, over the {max} MB limit");
    }

    private static string Mega(long n) => (n / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Reads to the end, refusing more than <see cref="ImageLimits.MaxBytes"/> without buffering it all.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream stream, string name, ImageLimits limits, CancellationToken ct)
    {
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining > limits.MaxBytes)
                throw TooManyBytes(name, remaining, limits);
            var buffer = new byte[remaining];
            int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            return read == buffer.Length ? buffer : buffer[..read];
        }

        using var ms = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false);
            if (n == 0)
                return ms.ToArray();
            if (ms.Length + n > limits.MaxBytes)
                throw new ImageLoadException($"{name} is over the {Mega(limits.MaxBytes)} MB limit");
            ms.Write(chunk, 0, n);
        }
    }

    private static string FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Webp => "WebP",
        SKEncodedImageFormat.Gif => "GIF",
        SKEncodedImageFormat.Bmp => "BMP",
        SKEncodedImageFormat.Ico => "ICO",
        SKEncodedImageFormat.Wbmp => "WBMP",
        _ => format.ToString(),
    };

    /// <summary>Keeps messages on one line even when a path or inner message contains line breaks.</summary>
    private static string OneLine(string s) =>
        s.IndexOfAny(['\r', '\n']) < 0 ? s : s.Replace("\r\n", " ").Replace('\r', ' ').Replace('\n', ' ');
}
