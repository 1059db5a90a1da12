using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Faceprint.Imaging;
using SkiaSharp;

namespace Faceprint.Tests.Imaging;

/// <summary>Builds encoded test images in memory so each test states exactly what it feeds the loader.</summary>
internal static class TestImages
{
    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", file);

    /// <summary>RGB pixels from a per-pixel function.</summary>
    public static RgbImage Rgb(int w, int h, Func<int, int, (byte R, byte G, byte B)> px)
    {
        var img = new RgbImage(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = px(x, y);
                int i = (y * w + x) * 3;
                img.Pixels[i] = r;
                img.Pixels[i + 1] = g;
                img.Pixels[i + 2] = b;
            }
        return img;
    }

    /// <summary>Four solid quadrants (red, green / blue, white) so any rotation or flip is detectable even after JPEG.</summary>
    public static RgbImage Quadrants(int w, int h) => Rgb(w, h, (x, y) => (x < w / 2, y < h / 2) switch
    {
        (true, true) => ((byte)255, (byte)0, (byte)0),
        (false, true) => ((byte)0, (byte)255, (byte)0),
        (true, false) => ((byte)0, (byte)0, (byte)255),
        _ => ((byte)255, (byte)255, (byte)255),
    });

    /// <summary>Encodes unpremultiplied RGBA pixels with Skia.</summary>
    public static unsafe byte[] SkiaEncode(int w, int h, Func<int, int, (byte R, byte G, byte B, byte A)> px, SKEncodedImageFormat format, int quality = 100)
    {
        var rgba = new byte[w * h * 4];
        bool opaque = true;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b, a) = px(x, y);
                int i = (y * w + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, a);
                opaque &= a == 255;
            }
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        fixed (byte* p = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, w * 4);
            using var data = format == SKEncodedImageFormat.Webp
                ? pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
                : pixmap.Encode(format, quality);
            return (data ?? throw new InvalidOperationException($"Skia cannot encode {format}")).ToArray();
        }
    }

    public static byte[] SkiaEncode(RgbImage img, SKEncodedImageFormat format, int quality = 100) =>
        SkiaEncode(img.Width, img.Height, (x, y) =>
        {
            int i = (y * img.Width + x) * 3;
            return (img.Pixels[i], img.Pixels[i + 1], img.Pixels[i + 2], (byte)255);
        }, format, quality);

    /// <summary>
    /// A PNG built chunk by chunk: <paramref name="rows"/> are the raw scanlines without filter bytes
    /// (filter 0 is added), so bit depth, colour type, palette and tRNS are exactly what the test says.
    /// </summary>
    public static byte[] Png(int w, int h, byte bitDepth, byte colorType, byte[][] rows, params (string Type, byte[] Data)[] extraChunks)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        using var raw = new MemoryStream();
        foreach (var row in rows)
        {
            raw.WriteByte(0);
            raw.Write(row);
        }
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
            zs.Write(raw.ToArray());

        using var png = new MemoryStream();
        png.Write(PngSignature);
        png.Write(Chunk("IHDR", ihdr));
        foreach (var (type, data) in extraChunks)
            png.Write(Chunk(type, data));
        png.Write(Chunk("IDAT", z.ToArray()));
        png.Write(Chunk("IEND", []));
        return png.ToArray();
    }

    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(c, data.Length);
        Encoding.ASCII.GetBytes(type, c.AsSpan(4));
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    /// <summary>A valid signature and IHDR (correct CRC) claiming <paramref name="w"/>×<paramref name="h"/>, then junk.</summary>
    public static byte[] PngBombHeader(int w, int h)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8;
        ihdr[9] = 2;
        var junk = new byte[256];
        new Random(1).NextBytes(junk);
        return [.. PngSignature, .. Chunk("IHDR", ihdr), .. junk];
    }

    /// <summary>CRC-32 as PNG defines it (reflected, polynomial 0xEDB88320).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// Inserts an APP1 Exif segment right after SOI holding only IFD0 with the Orientation tag (0x0112),
    /// the minimal form cameras and phones write.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,    // big-endian TIFF header, IFD0 at offset 8
            0, 1,                                       // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,               // Orientation, SHORT, count 1
            0, (byte)orientation, 0, 0,                 // value, left-justified in the 4-byte field
            0, 0, 0, 0,                                 // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int len = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(len >> 8), (byte)len, .. payload];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }

    /// <summary>An uncompressed 24-bit bottom-up BMP (rows padded to 4 bytes, BGR order).</summary>
    public static byte[] Bmp24(RgbImage img)
    {
        int w = img.Width, h = img.Height, stride = (w * 3 + 3) & ~3;
        var d = new byte[54 + stride * h];
        d[0] = (byte)'B';
        d[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(2), d.Length);
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(d.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(d.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(34), stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int s = (y * w + x) * 3, t = 54 + (h - 1 - y) * stride + x * 3;
                d[t] = img.Pixels[s + 2];
                d[t + 1] = img.Pixels[s + 1];
                d[t + 2] = img.Pixels[s];
            }
        return d;
    }

    /// <summary>16x8 CMYK JPEG (Adobe APP14, inverted as Photoshop writes it): left half red, right half blue.</summary>
    public static byte[] CmykJpeg => Convert.FromBase64String(
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK" +
        "/8AAFAgACAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFB" +
        "BhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqS" +
        "k5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9/K/n/r+f" +
        "+v38r+AOiv7/ACiv/9k=");

    /// <summary>Animated 8x4 GIF: frame 0 solid red, frame 1 solid blue.</summary>
    public static byte[] TwoFrameGif => Convert.FromBase64String(
        "R0lGODlhCAAEAIEAAP8AAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAACAAEAAAIDAABCBxIsKDBgwQDAgAh+QQACgAAACwA" +
        "AAAACAAEAIEAAP8AAAAAAAAAAAAIDAABCBxIsKDBgwQDAgA7");

    public static (byte R, byte G, byte B) At(RgbImage img, int x, int y)
    {
        int i = (y * img.Width + x) * 3;
        return (img.Pixels[i], img.Pixels[i + 1], img.Pixels[i + 2]);
    }

    public static void AssertNear((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance)
    {
        bool ok = Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance &&
                  Math.Abs(expected.B - actual.B) <= tolerance;
        Assert.True(ok, $"expected ~{expected} ±{tolerance}, got {actual}");
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "faceprint-img-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Hides seeking, like a network or pipe stream.</summary>
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
