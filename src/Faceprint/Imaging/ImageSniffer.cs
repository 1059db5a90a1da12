using System.Buffers.Binary;

namespace Faceprint.Imaging;

/// <summary>What the first bytes of a file say it is.</summary>
internal enum SniffedFormat
{
    Unknown,
    Text,
    Jpeg,
    Png,
    Gif,
    Bmp,
    WebP,
    Tiff,
    Heif,
    Avif,
    JpegXl,
    Psd,
}

/// <summary>The format and, where the header states it, the dimensions (0 when unknown).</summary>
internal readonly record struct SniffedHeader(SniffedFormat Format, int Width, int Height);

/// <summary>
/// Reads magic numbers and header dimensions without any decoder. Two reasons: the pixel limit must hold even
/// when Skia refuses to build a codec (e.g. a huge PNG header followed by garbage), and a failed decode needs a
/// message that says what the file actually is (text, TIFF, a broken JPEG) rather than Skia's result code.
/// </summary>
internal static class ImageSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JxlCodestream => [0xFF, 0x0A];
    private static ReadOnlySpan<byte> JxlContainer => [0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20];
    private static ReadOnlySpan<byte> Utf16Le => [0xFF, 0xFE];
    private static ReadOnlySpan<byte> Utf16Be => [0xFE, 0xFF];

    /// <summary>Whether Skia's decoders on this platform are expected to handle the format.</summary>
    public static bool IsSupported(SniffedFormat format) =>
        format is SniffedFormat.Jpeg or SniffedFormat.Png or SniffedFormat.Gif or SniffedFormat.Bmp or SniffedFormat.WebP;

    /// <summary>A short display name such as "JPEG" or "WebP".</summary>
    public static string Name(SniffedFormat format) => format switch
    {
        SniffedFormat.Jpeg => "JPEG",
        SniffedFormat.Png => "PNG",
        SniffedFormat.Gif => "GIF",
        SniffedFormat.Bmp => "BMP",
        SniffedFormat.WebP => "WebP",
        SniffedFormat.Tiff => "TIFF",
        SniffedFormat.Heif => "HEIF/HEIC",
        SniffedFormat.Avif => "AVIF",
        SniffedFormat.JpegXl => "JPEG XL",
        SniffedFormat.Psd => "Photoshop PSD",
        SniffedFormat.Text => "text",
        _ => "unknown",
    };

    /// <summary>Identifies the format and reads the stated dimensions where that is cheap and safe.</summary>
    public static SniffedHeader Sniff(ReadOnlySpan<byte> d)
    {
        if (d.StartsWith(PngSignature))
        {
            // IHDR must be the first chunk: length(4) "IHDR" width(4) height(4), all big-endian.
            if (d.Length >= 24 && d.Slice(12, 4).SequenceEqual("IHDR"u8))
                return new(SniffedFormat.Png, ClampToInt(BinaryPrimitives.ReadUInt32BigEndian(d[16..])), ClampToInt(BinaryPrimitives.ReadUInt32BigEndian(d[20..])));
            return new(SniffedFormat.Png, 0, 0);
        }
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        {
            var (w, h) = JpegSize(d);
            return new(SniffedFormat.Jpeg, w, h);
        }
        if (d.StartsWith("GIF87a"u8) || d.StartsWith("GIF89a"u8))
        {
            return d.Length >= 10
                ? new(SniffedFormat.Gif, BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), BinaryPrimitives.ReadUInt16LittleEndian(d[8..]))
                : new(SniffedFormat.Gif, 0, 0);
        }
        if (d.Length >= 12 && d.StartsWith("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            var (w, h) = WebPSize(d);
            return new(SniffedFormat.WebP, w, h);
        }
        if (d.Length >= 26 && d.StartsWith("BM"u8))
        {
            uint dib = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
            if (dib == 12)
                return new(SniffedFormat.Bmp, BinaryPrimitives.ReadUInt16LittleEndian(d[18..]), BinaryPrimitives.ReadUInt16LittleEndian(d[20..]));
            if (dib >= 40)
            {
                // Height is negative for top-down bitmaps; either way the magnitude is the row count.
                long w = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[18..]));
                long h = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..]));
                return new(SniffedFormat.Bmp, ClampToInt(w), ClampToInt(h));
            }
            return new(SniffedFormat.Bmp, 0, 0);
        }
        if (d.StartsWith("II*\0"u8) || d.StartsWith("MM\0*"u8))
            return new(SniffedFormat.Tiff, 0, 0);
        if (d.Length >= 12 && d.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = d.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
                return new(SniffedFormat.Avif, 0, 0);
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) ||
                brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8))
                return new(SniffedFormat.Heif, 0, 0);
        }
        if (d.StartsWith(JxlCodestream) || d.StartsWith(JxlContainer))
            return new(SniffedFormat.JpegXl, 0, 0);
        if (d.StartsWith("8BPS"u8))
            return new(SniffedFormat.Psd, 0, 0);
        if (LooksLikeText(d))
            return new(SniffedFormat.Text, 0, 0);
        return new(SniffedFormat.Unknown, 0, 0);
    }

    /// <summary>Walks JPEG marker segments up to the first SOFn frame header.</summary>
    private static (int W, int H) JpegSize(ReadOnlySpan<byte> d)
    {
        int i = 2;
        while (i + 3 < d.Length)
        {
            if (d[i] != 0xFF)
                return (0, 0);
            byte m = d[i + 1];
            if (m == 0xFF)
            {
                i++; // fill byte before a marker
                continue;
            }
            if (m is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                i += 2; // markers without a length field
                continue;
            }
            if (m == 0xDA || m == 0xD9)
                return (0, 0); // scan data or end before any frame header
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            if (len < 2)
                return (0, 0);
            bool isSof = m is >= 0xC0 and <= 0xCF && m is not (0xC4 or 0xC8 or 0xCC);
            if (isSof)
            {
                if (i + 9 > d.Length)
                    return (0, 0);
                // FF Cn len(2) precision(1) height(2) width(2)
                return (BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            }
            i += 2 + len;
        }
        return (0, 0);
    }

    /// <summary>Reads the canvas size from the first chunk of a WebP (VP8X, VP8L or VP8).</summary>
    private static (int W, int H) WebPSize(ReadOnlySpan<byte> d)
    {
        if (d.Length < 30)
            return (0, 0);
        var chunk = d.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            int w = 1 + (d[24] | d[25] << 8 | d[26] << 16);
            int h = 1 + (d[27] | d[28] << 8 | d[29] << 16);
            return (w, h);
        }
        if (chunk.SequenceEqual("VP8L"u8) && d[20] == 0x2F)
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8 "u8) && d[23] == 0x9D && d[24] == 0x01 && d[25] == 0x2A)
            return (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        return (0, 0);
    }

    /// <summary>
    /// True when the start of the data has no control bytes other than whitespace: plain ASCII or UTF-8 text,
    /// the usual "not an image" mistake (an HTML error page saved as .jpg, a CSV passed by accident).
    /// </summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> d)
    {
        var head = d[..Math.Min(d.Length, 1024)];
        if (head.IsEmpty)
            return false;
        if (head.StartsWith(Utf16Le) || head.StartsWith(Utf16Be))
            return true; // UTF-16 byte order mark
        foreach (byte b in head)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
                return false;
            if (b == 0x7F)
                return false;
        }
        return true;
    }

    private static int ClampToInt(long v) => v > int.MaxValue ? int.MaxValue : (int)v;
}
