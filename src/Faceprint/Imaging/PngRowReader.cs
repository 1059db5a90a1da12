using System.Buffers.Binary;
using System.IO.Compression;

namespace Faceprint.Imaging;

/// <summary>
/// Streams the rows of a non-interlaced PNG as RGBA, one at a time, holding two rows and never the image: what a
/// reduced decode of a large PNG needs, and what Skia's PNG codec does not offer (no scanline decoding). Handles
/// bit depth 8 and 16 for grey, grey+alpha, RGB and RGBA, and palettes of 1 to 8 bits with transparency.
/// </summary>
internal sealed class PngRowReader
{
    private readonly byte[] _data;
    private readonly int _width, _height, _bitDepth, _colorType;
    private readonly byte[] _palette = new byte[256 * 4];

    private PngRowReader(byte[] data, int width, int height, int bitDepth, int colorType)
    {
        _data = data;
        (_width, _height, _bitDepth, _colorType) = (width, height, bitDepth, colorType);
    }

    /// <summary>A reader for <paramref name="data"/>, or null with a reason when this PNG is not one it streams.</summary>
    public static PngRowReader? TryCreate(byte[] data, out string reason)
    {
        reason = "";
        if (data.Length < 33)
        {
            reason = "truncated header";
            return null;
        }

        int width = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(16)), height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(20));
        int bitDepth = data[24], colorType = data[25], interlace = data[28];
        bool supported = interlace == 0 && colorType switch
        {
            0 or 2 or 4 or 6 => bitDepth is 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            _ => false,
        };
        if (!supported || width <= 0 || height <= 0)
        {
            reason = interlace != 0 ? "interlaced PNG" : $"PNG of colour type {colorType} at {bitDepth} bits";
            return null;
        }

        var reader = new PngRowReader(data, width, height, bitDepth, colorType);
        for (int i = 0; i < 256; i++)
            reader._palette[i * 4 + 3] = 255;
        return reader;
    }

    /// <summary>Calls <paramref name="row"/>(y, rgba) for every row, top to bottom.</summary>
    /// <exception cref="ImageLoadException">The data ends early or is corrupt.</exception>
    public void ReadRows(string name, Action<int, byte[]> row)
    {
        using var compressed = new MemoryStream();
        ReadChunks(compressed);
        compressed.Position = 0;
        using var inflate = new ZLibStream(compressed, CompressionMode.Decompress);

        int channels = _colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bitsPerPixel = channels * _bitDepth;
        int bpp = Math.Max(1, bitsPerPixel / 8);
        int stride = (int)(((long)_width * bitsPerPixel + 7) / 8);
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgba = new byte[_width * 4];
        for (int y = 0; y < _height; y++)
        {
            int filter = inflate.ReadByte();
            if (filter < 0 || inflate.ReadAtLeast(current, stride, throwOnEndOfStream: false) != stride)
                throw new ImageLoadException($"{name}: truncated PNG data (the image data ends at row {y} of {_height})");
            Unfilter(filter, current, previous, bpp, name);
            ToRgba(current, rgba);
            row(y, rgba);
            (previous, current) = (current, previous);
        }
    }

    private void ReadChunks(MemoryStream compressed)
    {
        for (int at = 8; at + 8 <= _data.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(at));
            if (length < 0 || at + 12L + length > _data.Length)
                break;
            var type = _data.AsSpan(at + 4, 4);
            var body = _data.AsSpan(at + 8, length);
            if (type.SequenceEqual("IDAT"u8))
                compressed.Write(body);
            else if (type.SequenceEqual("PLTE"u8))
            {
                for (int i = 0; i < length / 3 && i < 256; i++)
                    body.Slice(i * 3, 3).CopyTo(_palette.AsSpan(i * 4));
            }
            else if (type.SequenceEqual("tRNS"u8) && _colorType == 3)
            {
                for (int i = 0; i < length && i < 256; i++)
                    _palette[i * 4 + 3] = body[i];
            }
            else if (type.SequenceEqual("IEND"u8))
                break;
            at += 12 + length;
        }
    }

    private static void Unfilter(int filter, byte[] row, byte[] up, int bpp, string name)
    {
        switch (filter)
        {
            case 0:
                return;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += up[i];
                return;
            case 3:
                for (int i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + up[i]) / 2);
                return;
            case 4:
                for (int i = 0; i < row.Length; i++) row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, up[i], i >= bpp ? up[i - bpp] : (byte)0);
                return;
            default:
                throw new ImageLoadException($"{name}: corrupt PNG data (unknown row filter {filter})");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>One unfiltered row to 8-bit RGBA (16-bit samples keep their high byte).</summary>
    private void ToRgba(byte[] row, byte[] rgba)
    {
        int step = _bitDepth == 16 ? 2 : 1;
        for (int x = 0, d = 0; x < _width; x++, d += 4)
        {
            switch (_colorType)
            {
                case 0:
                    rgba[d] = rgba[d + 1] = rgba[d + 2] = row[x * step];
                    rgba[d + 3] = 255;
                    break;
                case 2:
                    rgba[d] = row[x * 3 * step];
                    rgba[d + 1] = row[(x * 3 + 1) * step];
                    rgba[d + 2] = row[(x * 3 + 2) * step];
                    rgba[d + 3] = 255;
                    break;
                case 3:
                    int bits = _bitDepth, perByte = 8 / bits;
                    int index = bits == 8 ? row[x] : (row[x / perByte] >> ((perByte - 1 - x % perByte) * bits)) & ((1 << bits) - 1);
                    _palette.AsSpan(index * 4, 4).CopyTo(rgba.AsSpan(d));
                    break;
                case 4:
                    rgba[d] = rgba[d + 1] = rgba[d + 2] = row[x * 2 * step];
                    rgba[d + 3] = row[(x * 2 + 1) * step];
                    break;
                default:
                    rgba[d] = row[x * 4 * step];
                    rgba[d + 1] = row[(x * 4 + 1) * step];
                    rgba[d + 2] = row[(x * 4 + 2) * step];
                    rgba[d + 3] = row[(x * 4 + 3) * step];
                    break;
            }
        }
    }
}
