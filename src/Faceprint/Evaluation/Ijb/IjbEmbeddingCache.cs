using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Faceprint.Import.PyTorch;

namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// An append-only file of computed image outputs, so an interrupted evaluation resumes where it stopped. The header
/// names the model (and alignment) the outputs belong to; a file written for another is refused. Each record is
/// [u16 name length][UTF-8 name][2·D float32: crop, mirror][u32 CRC-32 of the preceding record bytes], little-endian.
/// A record cut short by a crash, or failing its CRC, ends the readable part: it and anything after it are dropped
/// (the file is truncated there) and appending continues from the last good record.
/// </summary>
public sealed class IjbEmbeddingCache : IDisposable
{
    private const ulong Magic = 0x314D_4542_4A49_5046; // "FPIJBEM1" little-endian
    private readonly FileStream _file;
    private readonly int _dimension;
    private readonly MemoryStream _pending = new();
    private readonly byte[] _record;

    private IjbEmbeddingCache(FileStream file, int dimension)
    {
        _file = file;
        _dimension = dimension;
        _record = new byte[2 + ushort.MaxValue + 8 * dimension + 4];
    }

    /// <summary>Path of the cache file.</summary>
    public string Path => _file.Name;

    /// <summary>Number of good records found when the file was opened.</summary>
    public int LoadedCount { get; private set; }

    /// <summary>Bytes of a torn or corrupt tail dropped when the file was opened (0 normally).</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>
    /// Opens or creates the cache at <paramref name="path"/> for outputs of <paramref name="dimension"/> floats per view under
    /// <paramref name="key"/> (model identity and anything else the outputs depend on), handing every stored record to
    /// <paramref name="onRecord"/> (name, 2·D raw outputs). The file is held exclusively until disposed.
    /// </summary>
    /// <exception cref="FaceprintException">The file belongs to another key or dimension, is not a cache, or is in use.</exception>
    public static IjbEmbeddingCache Open(string path, string key, int dimension, Action<string, ReadOnlySpan<float>> onRecord)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (IOException e)
        {
            throw new FaceprintException($"cannot open the embedding cache {path} (in use by another run?): {e.Message}", e);
        }
        var cache = new IjbEmbeddingCache(file, dimension);
        try
        {
            var header = Header(key, dimension);
            if (file.Length == 0)
            {
                file.Write(header);
                file.Flush(flushToDisk: true);
            }
            else
            {
                cache.ReadExisting(header, key, onRecord);
            }
            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>Queues the outputs of one image (2·D floats: crop, mirror); written by <see cref="Flush"/>.</summary>
    public void Append(string name, ReadOnlySpan<float> raw)
    {
        if (raw.Length != 2 * _dimension) throw new ArgumentException($"raw outputs hold {raw.Length} floats, expected {2 * _dimension}");
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        if (nameBytes > ushort.MaxValue) throw new ArgumentException($"image name too long: {name}");
        var span = _record.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)nameBytes);
        Encoding.UTF8.GetBytes(name, span[2..]);
        int offset = 2 + nameBytes;
        for (int i = 0; i < raw.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(offset + 4 * i)..], raw[i]);
        offset += 4 * raw.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], Crc32.Compute(span[..offset]));
        _pending.Write(span[..(offset + 4)]);
    }

    /// <summary>Writes the queued records and forces them to disk, so a crash loses at most what was queued after.</summary>
    public void Flush()
    {
        if (_pending.Length == 0) return;
        _file.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
        _file.Flush(flushToDisk: true);
        _pending.SetLength(0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            _file.Dispose();
        }
    }

    private static byte[] Header(string key, int dimension)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var header = new byte[8 + 4 + 4 + keyBytes.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), keyBytes.Length);
        keyBytes.CopyTo(header, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16 + keyBytes.Length), Crc32.Compute(header.AsSpan(0, 16 + keyBytes.Length)));
        return header;
    }

    private void ReadExisting(byte[] expected, string key, Action<string, ReadOnlySpan<float>> onRecord)
    {
        var header = new byte[expected.Length];
        int got = _file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < 16 || BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
            throw new FaceprintException($"{Path} is not a Faceprint IJB embedding cache");
        if (got < header.Length || !header.AsSpan().SequenceEqual(expected))
            throw new FaceprintException($"{Path} holds embeddings of another model or setup than '{key}' (D={_dimension}); remove it or pass another cache file");

        var floats = new float[2 * _dimension];
        long good = _file.Position;
        var span = _record.AsSpan();
        while (true)
        {
            if (_file.ReadAtLeast(span[..2], 2, throwOnEndOfStream: false) < 2) break;
            int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(span);
            int length = 2 + nameBytes + 8 * _dimension + 4;
            if (_file.ReadAtLeast(span[2..length], length - 2, throwOnEndOfStream: false) < length - 2) break;
            if (Crc32.Compute(span[..(length - 4)]) != BinaryPrimitives.ReadUInt32LittleEndian(span[(length - 4)..])) break;
            string name = Encoding.UTF8.GetString(span.Slice(2, nameBytes));
            MemoryMarshal.Cast<byte, float>(span.Slice(2 + nameBytes, 8 * _dimension)).CopyTo(floats);
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < floats.Length; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(2 + nameBytes + 4 * i)..]);
            onRecord(name, floats);
            LoadedCount++;
            good = _file.Position;
        }
        DroppedBytes = _file.Length - good;
        if (DroppedBytes > 0)
        {
            _file.SetLength(good);
            _file.Flush(flushToDisk: true);
        }
        _file.Position = good;
    }
}
