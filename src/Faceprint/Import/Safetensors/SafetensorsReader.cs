using System.Buffers.Binary;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.Safetensors;

/// <summary>
/// Reads a safetensors file: u64 little-endian header length, the JSON header (<see cref="SafetensorsHeader"/>),
/// then the data section that the header's offsets tile exactly. F32, F16, BF16, F64, I64 and I32 tensors are read
/// (as fp32 values); every inconsistency is a <see cref="ModelFormatException"/>.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static TensorDictionary Read(string path)
    {
        using var file = OpenFile(path, FileOptions.SequentialScan);
        try
        {
            return Read(file);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static async Task<TensorDictionary> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var file = OpenFile(path, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            return await ReadAsync(file, ct);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    /// <summary>Reads a safetensors file from a seekable stream positioned at its start.</summary>
    public static TensorDictionary Read(Stream stream)
    {
        long available = Available(stream);
        var prefix = new byte[8];
        Fill(stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false), 8, "header length");
        var json = new byte[HeaderLength(prefix, available)];
        Fill(stream.ReadAtLeast(json, json.Length, throwOnEndOfStream: false), json.Length, "header");
        var header = SafetensorsHeader.Parse(json, available - 8 - json.Length);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var e in header.Entries.OrderBy(e => e.Begin))
        {
            var bytes = new byte[e.End - e.Begin];
            Fill(stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false), bytes.Length, $"tensor '{e.Name}'");
            data[e.Name] = bytes;
        }
        return Decode(header, data);
    }

    /// <summary>Reads a safetensors file from a seekable stream positioned at its start.</summary>
    public static async Task<TensorDictionary> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        long available = Available(stream);
        var prefix = new byte[8];
        Fill(await stream.ReadAtLeastAsync(prefix, 8, throwOnEndOfStream: false, ct), 8, "header length");
        var json = new byte[HeaderLength(prefix, available)];
        Fill(await stream.ReadAtLeastAsync(json, json.Length, throwOnEndOfStream: false, ct), json.Length, "header");
        var header = SafetensorsHeader.Parse(json, available - 8 - json.Length);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var e in header.Entries.OrderBy(e => e.Begin))
        {
            var bytes = new byte[e.End - e.Begin];
            Fill(await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct), bytes.Length, $"tensor '{e.Name}'");
            data[e.Name] = bytes;
        }
        return Decode(header, data);
    }

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) looks like a safetensors file.</summary>
    internal static bool LooksLikeSafetensors(ReadOnlySpan<byte> head) =>
        head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) is > 0 and <= SafetensorsHeader.MaxLength && head[8] == (byte)'{';

    private static TensorDictionary Decode(SafetensorsHeader header, Dictionary<string, byte[]> data) =>
        new(header.Entries.Select(e => new CheckpointTensor(e.Name, e.Shape, e.ElementType, TensorElementCodec.Decode(data[e.Name], e.ElementType))),
            header.Metadata);

    private static long Available(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("the safetensors stream must be seekable (its length bounds the header)", nameof(stream));
        return stream.Length - stream.Position;
    }

    private static int HeaderLength(byte[] prefix, long available)
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > SafetensorsHeader.MaxLength) throw new ModelFormatException($"safetensors: header length {length} exceeds the {SafetensorsHeader.MaxLength}-byte limit");
        if (8 + (long)length > available) throw new ModelFormatException($"safetensors: truncated file: header of {length} bytes, file has {available}");
        return (int)length;
    }

    private static void Fill(int got, int wanted, string what)
    {
        if (got < wanted) throw new ModelFormatException($"safetensors: truncated file while reading the {what}");
    }

    private static FileStream OpenFile(string path, FileOptions options)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"safetensors file not found: {path}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, options);
    }
}
