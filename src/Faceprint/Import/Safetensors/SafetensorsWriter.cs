using System.Buffers.Binary;
using System.Text.Json;
using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.Safetensors;

/// <summary>
/// Writes tensors as a safetensors file: u64 header length, JSON header padded with spaces to a multiple of 8 bytes
/// (so the data section starts aligned), then each tensor's bytes in order, stored as its
/// <see cref="CheckpointTensor.ElementType"/>. Optional string metadata goes to <c>__metadata__</c>.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes the file at <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write(string path, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var chunks = Chunks(tensors.ToList(), metadata);
        AtomicFile.Write(path, stream =>
        {
            foreach (var chunk in chunks) stream.Write(chunk.Span);
        });
    }

    /// <summary>Writes the file at <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static Task WriteAsync(string path, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken ct = default)
    {
        var chunks = Chunks(tensors.ToList(), metadata);
        return AtomicFile.WriteAsync(path, stream => WriteChunksAsync(stream, chunks, ct), ct);
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        foreach (var chunk in Chunks(tensors.ToList(), metadata)) stream.Write(chunk.Span);
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static Task WriteAsync(Stream stream, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken ct = default) =>
        WriteChunksAsync(stream, Chunks(tensors.ToList(), metadata), ct);

    private static async Task WriteChunksAsync(Stream stream, IEnumerable<ReadOnlyMemory<byte>> chunks, CancellationToken ct)
    {
        foreach (var chunk in chunks) await stream.WriteAsync(chunk, ct);
    }

    /// <summary>Header first (built and validated eagerly), then one encoded tensor at a time.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(IReadOnlyList<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        byte[] header = Header(tensors, metadata);
        return Lay();

        IEnumerable<ReadOnlyMemory<byte>> Lay()
        {
            yield return header;
            foreach (var t in tensors) yield return TensorElementCodec.Encode(t.Data, t.ElementType, t.Name);
        }
    }

    private static byte[] Header(IReadOnlyList<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) w.WriteString(key, value);
                w.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var t in tensors)
            {
                if (t.Name == SafetensorsHeader.MetadataKey || !names.Add(t.Name))
                    throw new ArgumentException($"tensor name '{t.Name}' is reserved or used twice", nameof(tensors));
                if (t.Shape.Any(d => d < 0) || NamedTensor.Count(t.Shape) != t.Data.Length)
                    throw new ArgumentException($"tensor '{t.Name}' shape {NamedTensor.Format(t.Shape)} does not match its {t.Data.Length} values", nameof(tensors));
                long end = offset + (long)t.Data.Length * TensorElementCodec.Size(t.ElementType);
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", SafetensorsHeader.DTypeName(t.ElementType));
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(end);
                w.WriteEndArray();
                w.WriteEndObject();
                offset = end;
            }
            w.WriteEndObject();
        }
        int padded = (int)(json.Length + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.ToArray().CopyTo(header, 8);
        header.AsSpan(8 + (int)json.Length).Fill((byte)' ');
        return header;
    }
}
