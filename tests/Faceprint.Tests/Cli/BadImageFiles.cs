using System.Buffers.Binary;
using System.Text;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>Writes the malformed image files the error tests feed to the CLI.</summary>
internal static class BadImageFiles
{
    /// <summary>A zero-byte file.</summary>
    public static string Empty(string folder) => Write(folder, "empty.jpg", []);

    /// <summary>Plain text with an image extension.</summary>
    public static string Text(string folder) => Write(folder, "notes.jpg", Encoding.UTF8.GetBytes("this is not an image\nsecond line\n"));

    /// <summary>The first half of a real JPEG.</summary>
    public static string TruncatedJpeg(string folder)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("deepface/img1.jpg"));
        return Write(folder, "truncated.jpg", bytes[..(bytes.Length / 2)]);
    }

    /// <summary>
    /// A PNG signature and a valid IHDR chunk claiming 30000×30000 RGB, then nothing: a decompression bomb's header,
    /// which must be refused from the header alone.
    /// </summary>
    public static string HugePngHeader(string folder)
    {
        var file = new List<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var chunk = new byte[4 + 13];
        "IHDR"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), 30000);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), 30000);
        chunk[12] = 8; // bit depth
        chunk[13] = 2; // colour type RGB; compression, filter and interlace stay 0
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, 13);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(chunk)); // over chunk type and data, as PNG defines it
        file.AddRange(length);
        file.AddRange(chunk);
        file.AddRange(crc);
        return Write(folder, "huge.png", [.. file]);
    }

    /// <summary>CRC-32 (IEEE, reflected, as in PNG and zlib), bit by bit: System.IO.Hashing is not referenced.</summary>
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

    private static string Write(string folder, string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
