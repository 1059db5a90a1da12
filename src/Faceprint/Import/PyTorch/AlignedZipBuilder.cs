using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// Lays out a zip archive of stored (uncompressed) entries the way PyTorch's writer does: each local header carries
/// an extra field with id "FB" whose 'Z' padding puts the entry's data on a 64-byte boundary (so readers can map
/// storages in place). It produces the archive as a sequence of byte chunks, leaving the I/O to the caller.
/// Archives are limited to 4 GiB and 65,535 entries (no zip64).
/// </summary>
internal sealed class AlignedZipBuilder
{
    private const int Alignment = 64;
    private const int LocalHeaderSize = 30;
    private const int ExtraHeaderSize = 4;
    private const ushort VersionNeeded = 20;
    private const ushort DosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01, a fixed stamp keeps output reproducible

    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset)> _entries = [];
    private long _position;

    /// <summary>The local header and data chunks of one stored entry.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Entry(string name, byte[] data)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        int start = (int)((_position + LocalHeaderSize + nameBytes.Length + ExtraHeaderSize) % Alignment);
        int padding = (Alignment - start) % Alignment;
        int headerLength = LocalHeaderSize + nameBytes.Length + ExtraHeaderSize + padding;
        if (_entries.Count == ushort.MaxValue || _position + headerLength + data.LongLength > uint.MaxValue)
            throw new NotSupportedException("checkpoint exceeds 4 GiB or 65,535 records, which needs zip64");

        uint crc = Crc32.Compute(data);
        var header = new byte[headerLength];
        var h = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], DosDate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(ExtraHeaderSize + padding));
        nameBytes.CopyTo(h[LocalHeaderSize..]);
        var extra = h[(LocalHeaderSize + nameBytes.Length)..];
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        extra[ExtraHeaderSize..].Fill((byte)'Z');

        _entries.Add((nameBytes, crc, (uint)data.Length, (uint)_position));
        _position += headerLength + data.Length;
        return [header, data];
    }

    /// <summary>The central directory and end-of-central-directory record that close the archive.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        var directory = new MemoryStream();
        Span<byte> record = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in _entries)
        {
            record.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(record, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(record[4..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(record[6..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(record[14..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(record[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(record[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(record[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[42..], offset);
            directory.Write(record);
            directory.Write(name);
        }
        if (_position + directory.Length > uint.MaxValue) throw new NotSupportedException("checkpoint exceeds 4 GiB, which needs zip64");
        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directory.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)_position);
        directory.Write(end);
        return directory.ToArray();
    }
}
