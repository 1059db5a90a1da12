using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Faceprint.Training.Data;

/// <summary>
/// Random access to an InsightFace/MXNet RecordIO pack: <c>train.rec</c> holds the records, <c>train.idx</c> lines
/// "key\toffset" say where each starts. Reads are positional, so one reader serves several loader threads at once.
/// </summary>
public sealed class RecordIOReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly Dictionary<long, long> _offsets;

    /// <summary>Opens <paramref name="recPath"/> with its index (default: the same path with extension <c>.idx</c>).</summary>
    /// <exception cref="RecordIOFormatException">A file is missing, or the index is malformed or points outside the pack.</exception>
    public RecordIOReader(string recPath, string? idxPath = null)
    {
        idxPath ??= Path.ChangeExtension(recPath, ".idx");
        RecPath = recPath;
        if (!File.Exists(recPath))
            throw new RecordIOFormatException($"RecordIO file not found: {recPath}");
        if (!File.Exists(idxPath))
            throw new RecordIOFormatException($"RecordIO index not found: {idxPath} (expected next to {Path.GetFileName(recPath)})");
        _file = File.OpenHandle(recPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_file);
        (Keys, _offsets) = ReadIndex(idxPath, Length);
    }

    /// <summary>The pack's path.</summary>
    public string RecPath { get; }

    /// <summary>Size of the pack in bytes.</summary>
    public long Length { get; }

    /// <summary>Record keys in index order.</summary>
    public IReadOnlyList<long> Keys { get; }

    /// <summary>Whether the index lists <paramref name="key"/>.</summary>
    public bool Contains(long key) => _offsets.ContainsKey(key);

    /// <summary>Reads and unpacks record <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The index has no such key.</exception>
    /// <exception cref="RecordIOFormatException">The record is truncated or corrupt.</exception>
    public RecordIORecord Read(long key)
    {
        string where = Where(key);
        var payload = ReadPayload(Offset(key), where);
        var (header, size) = RecordIOFormat.UnpackHeader(payload, where);
        return new RecordIORecord(header, payload[size..]);
    }

    /// <summary>Reads only the header of record <paramref name="key"/> (its first part), skipping the image bytes.</summary>
    /// <exception cref="RecordIOFormatException">The record is truncated or corrupt.</exception>
    public RecordIOHeader ReadHeader(long key)
    {
        string where = Where(key);
        long offset = Offset(key);
        var (_, length) = ReadPartHeader(offset, where);
        var front = new byte[Math.Min(length, RecordIOHeader.FixedSize + 4 * 64)];
        ReadExactly(offset + RecordIOFormat.PartHeaderSize, front, where);
        // A long label vector, or a split inside the header, needs the whole record.
        if (front.Length < RecordIOHeader.FixedSize || RecordIOHeader.FixedSize + 4L * BinaryPrimitives.ReadUInt32LittleEndian(front) > front.Length)
            return RecordIOFormat.UnpackHeader(ReadPayload(offset, where), where).Header;
        return RecordIOFormat.UnpackHeader(front, where).Header;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private long Offset(long key) =>
        _offsets.TryGetValue(key, out long offset) ? offset : throw new KeyNotFoundException($"{Path.GetFileName(RecPath)}: no record with key {key} in the index");

    private string Where(long key) => $"{Path.GetFileName(RecPath)} record {key}";

    /// <summary>Reassembles a record from its parts; a split record lost the magic word at each split, so put it back.</summary>
    private byte[] ReadPayload(long offset, string where)
    {
        var (flag, length) = ReadPartHeader(offset, where);
        if (flag is RecordIOFormat.Middle or RecordIOFormat.Last)
            throw new RecordIOFormatException($"{where}: offset {offset} is in the middle of a split record (continuation flag {flag})");
        var first = new byte[length];
        ReadExactly(offset + RecordIOFormat.PartHeaderSize, first, where);
        if (flag == RecordIOFormat.Whole)
            return first;

        using var assembled = new MemoryStream();
        assembled.Write(first);
        long position = offset + RecordIOFormat.PartHeaderSize + RecordIOFormat.Padded(length);
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, RecordIOFormat.Magic);
        while (true)
        {
            (flag, length) = ReadPartHeader(position, where);
            if (flag is not (RecordIOFormat.Middle or RecordIOFormat.Last))
                throw new RecordIOFormatException($"{where}: split record continues at offset {position} with flag {flag}, expected 2 or 3");
            var part = new byte[length];
            ReadExactly(position + RecordIOFormat.PartHeaderSize, part, where);
            assembled.Write(magic);
            assembled.Write(part);
            position += RecordIOFormat.PartHeaderSize + RecordIOFormat.Padded(length);
            if (flag == RecordIOFormat.Last)
                return assembled.ToArray();
        }
    }

    private (uint Flag, int Length) ReadPartHeader(long offset, string where)
    {
        Span<byte> words = stackalloc byte[RecordIOFormat.PartHeaderSize];
        ReadExactly(offset, words, where);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(words);
        if (magic != RecordIOFormat.Magic)
            throw new RecordIOFormatException($"{where}: bad magic 0x{magic:x8} at offset {offset} (expected 0x{RecordIOFormat.Magic:x8}); the index does not match the pack or the pack is corrupt");
        uint lengthWord = BinaryPrimitives.ReadUInt32LittleEndian(words[4..]);
        int length = RecordIOFormat.Length(lengthWord);
        if (offset + RecordIOFormat.PartHeaderSize + length > Length)
            throw new RecordIOFormatException($"{where}: truncated: a {length}-byte record part at offset {offset} runs past the end of the {Length}-byte file");
        return (RecordIOFormat.Flag(lengthWord), length);
    }

    private void ReadExactly(long offset, Span<byte> buffer, string where)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer[done..], offset + done);
            if (n == 0)
                throw new RecordIOFormatException($"{where}: truncated: needed {buffer.Length} bytes at offset {offset}, the file ends at {Length}");
            done += n;
        }
    }

    private static (IReadOnlyList<long> Keys, Dictionary<long, long> Offsets) ReadIndex(string idxPath, long recLength)
    {
        var keys = new List<long>();
        var offsets = new Dictionary<long, long>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(idxPath))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            var fields = line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2
                || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long key)
                || !long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long offset))
                throw new RecordIOFormatException($"{Path.GetFileName(idxPath)} line {lineNumber}: expected 'key<TAB>offset', got '{Truncate(line)}'");
            if (offset < 0 || offset + RecordIOFormat.PartHeaderSize > recLength)
                throw new RecordIOFormatException($"{Path.GetFileName(idxPath)} line {lineNumber}: offset {offset} of key {key} is outside the {recLength}-byte pack (truncated .rec?)");
            if (!offsets.TryAdd(key, offset))
                throw new RecordIOFormatException($"{Path.GetFileName(idxPath)} line {lineNumber}: key {key} appears twice");
            keys.Add(key);
        }
        return (keys, offsets);
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
