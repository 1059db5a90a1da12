using System.Buffers.Binary;
using System.Globalization;

namespace Faceprint.Training.Data;

/// <summary>
/// Writes a RecordIO pack and its index in MXNet's format, so InsightFace tools read what this writes and
/// <see cref="RecordIOReader"/> reads theirs. Records are appended in call order.
/// </summary>
public sealed class RecordIOWriter : IDisposable
{
    private readonly FileStream _rec;
    private readonly StreamWriter _idx;
    private readonly HashSet<long> _keys = [];

    /// <summary>Creates (or replaces) <paramref name="recPath"/> and its index (default: extension <c>.idx</c>).</summary>
    public RecordIOWriter(string recPath, string? idxPath = null)
    {
        _rec = new FileStream(recPath, FileMode.Create, FileAccess.Write, FileShare.None);
        _idx = new StreamWriter(idxPath ?? Path.ChangeExtension(recPath, ".idx")) { NewLine = "\n" };
    }

    /// <summary>Appends record <paramref name="key"/>: <paramref name="header"/>, its extra labels, then <paramref name="image"/>.</summary>
    /// <exception cref="ArgumentException">The key was written before, or the header's flag disagrees with its extra labels.</exception>
    public void Write(long key, RecordIOHeader header, ReadOnlySpan<byte> image)
    {
        if (!_keys.Add(key))
            throw new ArgumentException($"key {key} was already written", nameof(key));
        var head = RecordIOFormat.PackHeader(header);
        var payload = new byte[head.Length + image.Length];
        head.CopyTo(payload, 0);
        image.CopyTo(payload.AsSpan(head.Length));
        _idx.Write(key.ToString(CultureInfo.InvariantCulture));
        _idx.Write('\t');
        _idx.Write(_rec.Position.ToString(CultureInfo.InvariantCulture));
        _idx.Write('\n');
        WritePayload(payload);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _idx.Dispose();
        _rec.Dispose();
    }

    /// <summary>
    /// A reader that scans for the magic word must never meet it inside a record, so (as dmlc does) the payload is split
    /// at every 4-byte-aligned occurrence, dropping the magic, with continuation flags 1 (first), 2 (middle), 3 (last).
    /// </summary>
    private void WritePayload(byte[] payload)
    {
        if (payload.Length > RecordIOFormat.MaxPartLength)
            throw new ArgumentException($"record of {payload.Length} bytes exceeds RecordIO's {RecordIOFormat.MaxPartLength}-byte limit");
        int start = 0;
        for (int i = 0; i + 4 <= payload.Length; i += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(i)) != RecordIOFormat.Magic)
                continue;
            WritePart(start == 0 ? RecordIOFormat.First : RecordIOFormat.Middle, payload.AsSpan(start, i - start));
            start = i + 4;
        }
        WritePart(start == 0 ? RecordIOFormat.Whole : RecordIOFormat.Last, payload.AsSpan(start));
    }

    private void WritePart(uint flag, ReadOnlySpan<byte> data)
    {
        Span<byte> words = stackalloc byte[RecordIOFormat.PartHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(words, RecordIOFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(words[4..], RecordIOFormat.EncodeLength(flag, data.Length));
        _rec.Write(words);
        _rec.Write(data);
        int pad = (int)(RecordIOFormat.Padded(data.Length) - data.Length);
        if (pad > 0)
            _rec.Write(stackalloc byte[pad]);
    }
}
