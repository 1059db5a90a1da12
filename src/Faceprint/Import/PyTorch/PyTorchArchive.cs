using System.IO.Compression;
using System.Text;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// The zip container of torch.save (new format): every record under one folder (any name, e.g. "archive"),
/// <c>data.pkl</c> the pickled object, <c>data/&lt;key&gt;</c> one record per storage, <c>byteorder</c> and
/// <c>version</c> (or <c>.data/version</c>). Opening checks the layout and refuses big-endian data.
/// </summary>
internal sealed class PyTorchArchive : IDisposable
{
    private const string PickleRecord = "data.pkl";
    private const long MaxDeflateRatio = 1032; // deflate cannot expand data by more than this; more means a lying header
    private readonly ZipArchive _zip;
    private readonly long _fileLength;

    private PyTorchArchive(ZipArchive zip, string prefix, long fileLength)
    {
        _zip = zip;
        Prefix = prefix;
        _fileLength = fileLength;
    }

    /// <summary>The folder every record lives in, without the trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>Opens and checks the archive layout.</summary>
    public static PyTorchArchive Open(Stream stream)
    {
        var archive = Create(Unzip(() => new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true)), stream.Length);
        try
        {
            archive.CheckHeaderRecords(archive.ReadOptional("byteorder"), archive.ReadOptional("version") ?? archive.ReadOptional(".data/version"));
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>Opens and checks the archive layout.</summary>
    public static async Task<PyTorchArchive> OpenAsync(Stream stream, CancellationToken ct)
    {
        var archive = Create(await Unzip(() => ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct)), stream.Length);
        try
        {
            archive.CheckHeaderRecords(await archive.ReadOptionalAsync("byteorder", ct),
                await archive.ReadOptionalAsync("version", ct) ?? await archive.ReadOptionalAsync(".data/version", ct));
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>The pickled object.</summary>
    public byte[] ReadPickle() => ReadRecord(PickleRecord);

    /// <summary>The pickled object.</summary>
    public Task<byte[]> ReadPickleAsync(CancellationToken ct) => ReadRecordAsync(PickleRecord, ct);

    /// <summary>The bytes of storage <paramref name="key"/>.</summary>
    public byte[] ReadStorage(string key) => ReadRecord("data/" + key);

    /// <summary>The bytes of storage <paramref name="key"/>.</summary>
    public Task<byte[]> ReadStorageAsync(string key, CancellationToken ct) => ReadRecordAsync("data/" + key, ct);

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private static PyTorchArchive Create(ZipArchive zip, long fileLength)
    {
        try
        {
            return new PyTorchArchive(zip, FindPrefix(zip), fileLength);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private byte[]? ReadOptional(string name) => Entry(name) is null ? null : ReadRecord(name);

    private async Task<byte[]?> ReadOptionalAsync(string name, CancellationToken ct) =>
        Entry(name) is null ? null : await ReadRecordAsync(name, ct);

    private void CheckHeaderRecords(byte[]? byteOrder, byte[]? version)
    {
        // Files from before PyTorch 1.10 carry no byteorder record; they were all written little-endian.
        string order = byteOrder is null ? "little" : Encoding.ASCII.GetString(byteOrder).Trim();
        if (order == "big")
            throw new ModelFormatException("checkpoint was saved on a big-endian machine (byteorder 'big'); only little-endian checkpoints are supported");
        if (order != "little") throw new ModelFormatException($"checkpoint has an invalid byteorder record '{order}'");
        if (version is null) throw new ModelFormatException($"zip archive lacks the '{Prefix}/version' record: not a torch.save checkpoint");
        if (!int.TryParse(Encoding.ASCII.GetString(version).Trim(), out int v) || v < 1)
            throw new ModelFormatException("checkpoint has an invalid version record");
    }

    private ZipArchiveEntry? Entry(string name) => _zip.GetEntry(Prefix + "/" + name);

    private ZipArchiveEntry RequiredEntry(string name) =>
        Entry(name) ?? throw new ModelFormatException($"checkpoint lacks the record '{Prefix}/{name}'");

    private byte[] ReadRecord(string name)
    {
        var entry = RequiredEntry(name);
        var buffer = Allocate(entry);
        Unzip(() =>
        {
            using var s = entry.Open();
            s.ReadExactly(buffer);
            return EnsureEnd(s.ReadByte() < 0, entry);
        });
        return Verified(buffer, entry);
    }

    private async Task<byte[]> ReadRecordAsync(string name, CancellationToken ct)
    {
        var entry = RequiredEntry(name);
        var buffer = Allocate(entry);
        await Unzip(async () =>
        {
            await using var s = await entry.OpenAsync(ct);
            await s.ReadExactlyAsync(buffer, ct);
            return EnsureEnd(await s.ReadAsync(new byte[1], ct) == 0, entry);
        });
        return Verified(buffer, entry);
    }

    /// <summary>A buffer for the record, once its directory entry is plausible (so a forged size cannot exhaust memory).</summary>
    private byte[] Allocate(ZipArchiveEntry entry)
    {
        if (entry.CompressedLength > _fileLength || entry.Length > Math.Max(entry.CompressedLength, 1) * MaxDeflateRatio)
            throw new ModelFormatException($"corrupt zip archive: record '{entry.FullName}' claims {entry.Length} bytes from {entry.CompressedLength} in a {_fileLength}-byte file");
        return entry.Length <= Array.MaxLength ? new byte[entry.Length]
            : throw new ModelFormatException($"record '{entry.FullName}' is too large ({entry.Length} bytes)");
    }

    /// <summary>The record, once its CRC-32 matches the directory's (zip readers here do not check it themselves).</summary>
    private static byte[] Verified(byte[] data, ZipArchiveEntry entry) =>
        Crc32.Compute(data) == entry.Crc32 ? data
            : throw new ModelFormatException($"corrupt checkpoint: record '{entry.FullName}' fails its CRC-32 check");

    private static bool EnsureEnd(bool atEnd, ZipArchiveEntry entry) =>
        atEnd ? true : throw new ModelFormatException($"record '{entry.FullName}' is longer than its directory entry says");

    private static string FindPrefix(ZipArchive zip)
    {
        var prefixes = zip.Entries
            .Select(e => e.FullName.Split('/'))
            .Where(parts => parts is [{ Length: > 0 }, PickleRecord])
            .Select(parts => parts[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return prefixes switch
        {
            [var one] => one,
            [] => throw new ModelFormatException("zip archive holds no '<folder>/data.pkl' record: not a torch.save checkpoint"),
            _ => throw new ModelFormatException($"zip archive holds several data.pkl records ({string.Join(", ", prefixes)})"),
        };
    }

    /// <summary>Runs a zip operation, turning the container's own exceptions into one clear error.</summary>
    private static T Unzip<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or NotSupportedException)
        {
            throw new ModelFormatException($"corrupt or truncated zip archive: {e.Message}", e);
        }
    }

    private static async Task<T> Unzip<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or NotSupportedException)
        {
            throw new ModelFormatException($"corrupt or truncated zip archive: {e.Message}", e);
        }
    }
}
