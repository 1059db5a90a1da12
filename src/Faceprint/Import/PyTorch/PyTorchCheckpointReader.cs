using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// Reads the tensors of a PyTorch checkpoint (<c>.pt</c>/<c>.pth</c> written by torch.save since PyTorch 1.6: a zip
/// of a pickle and raw storages) without Python and without executing anything: the pickle may only use
/// OrderedDict, the tensor/parameter rebuild functions and typed storages. The state dict is the top-level dict or
/// the one under "state_dict", "model" or "module". Float16, bfloat16 and float64 become fp32; views with offsets
/// and arbitrary strides are gathered. Every error is a <see cref="ModelFormatException"/> saying what is wrong.
/// </summary>
public static class PyTorchCheckpointReader
{
    private const int SniffLength = 262; // covers the "ustar" magic at offset 257 of the legacy tar format

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    public static TensorDictionary Read(string path)
    {
        using var file = OpenFile(path, FileOptions.SequentialScan);
        return WithFileName(path, () => Read(file));
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    public static async Task<TensorDictionary> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var file = OpenFile(path, FileOptions.Asynchronous);
        return await WithFileName(path, () => ReadAsync(file, ct));
    }

    /// <summary>Reads a checkpoint from a seekable stream positioned at its start.</summary>
    public static TensorDictionary Read(Stream stream)
    {
        RequireSeekable(stream);
        var head = new byte[SniffLength];
        long start = stream.Position;
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        RejectNonZip(head.AsSpan(0, got));

        using var archive = PyTorchArchive.Open(stream);
        var tensors = Unpickle(archive.ReadPickle());
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string key in StorageKeys(tensors)) storages[key] = archive.ReadStorage(key);
        return Materialize(tensors, storages);
    }

    /// <summary>Reads a checkpoint from a seekable stream positioned at its start.</summary>
    public static async Task<TensorDictionary> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        RequireSeekable(stream);
        var head = new byte[SniffLength];
        long start = stream.Position;
        int got = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        stream.Position = start;
        RejectNonZip(head.AsSpan(0, got));

        using var archive = await PyTorchArchive.OpenAsync(stream, ct);
        var tensors = Unpickle(await archive.ReadPickleAsync(ct));
        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string key in StorageKeys(tensors)) storages[key] = await archive.ReadStorageAsync(key, ct);
        return Materialize(tensors, storages);
    }

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) starts a zip archive.</summary>
    internal static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8);

    private static void RejectNonZip(ReadOnlySpan<byte> head)
    {
        if (IsZip(head)) return;
        if (head.IsEmpty) throw new ModelFormatException("empty file, not a PyTorch checkpoint");
        if (head[0] == (byte)PickleOpcode.Proto || head.Length >= SniffLength && head[257..].SequenceEqual("ustar"u8))
            throw new ModelFormatException(
                "unsupported legacy (pre-1.6, non-zip) torch.save format; re-save it with torch.save(obj, path, _use_new_zipfile_serialization=True)");
        throw new ModelFormatException("not a PyTorch checkpoint (no zip signature)");
    }

    private static IReadOnlyList<(string Name, TorchTensorReference Tensor)> Unpickle(byte[] pickle) =>
        StateDictLocator.Locate(new Unpickler(pickle, new TorchPickleResolver()).Load());

    private static IEnumerable<string> StorageKeys(IReadOnlyList<(string Name, TorchTensorReference Tensor)> tensors) =>
        tensors.Select(t => t.Tensor.Storage.Key).Distinct(StringComparer.Ordinal);

    private static TensorDictionary Materialize(IReadOnlyList<(string Name, TorchTensorReference Tensor)> tensors, Dictionary<string, byte[]> storageBytes)
    {
        var storages = new Dictionary<string, (TorchStorageReference Storage, float[] Values, int Uses)>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            var s = tensor.Storage;
            if (storages.TryGetValue(s.Key, out var known))
            {
                if (known.Storage != s)
                    throw new ModelFormatException($"storage {s.Key} is declared twice differently ({known.Storage.ElementCount} {known.Storage.ElementType}, {s.ElementCount} {s.ElementType})");
                storages[s.Key] = known with { Uses = known.Uses + 1 };
                continue;
            }
            byte[] bytes = storageBytes[s.Key];
            long expected = s.ElementCount * TensorElementCodec.Size(s.ElementType);
            if (bytes.Length != expected)
                throw new ModelFormatException($"storage record data/{s.Key} holds {bytes.Length} bytes, the pickle declares {s.ElementCount} {s.ElementType} elements ({expected} bytes)");
            storages[s.Key] = (s, TensorElementCodec.Decode(bytes, s.ElementType), 1);
        }

        var result = new List<CheckpointTensor>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            var (storage, values, uses) = storages[tensor.Storage.Key];
            long end;
            try
            {
                end = tensor.ExtentEnd();
            }
            catch (OverflowException)
            {
                end = long.MaxValue;
            }
            if (end > storage.ElementCount || tensor.Offset > storage.ElementCount)
                throw new ModelFormatException($"tensor '{name}' (offset {tensor.Offset}, size [{string.Join(",", tensor.Shape)}], stride [{string.Join(",", tensor.Strides)}]) reads past the end of storage {storage.Key} ({storage.ElementCount} elements)");
            // A view that is its whole, unshared storage can take the decoded array as it is.
            float[] data = uses == 1 && tensor.CoversWholeStorage ? values : tensor.Gather(values);
            result.Add(new CheckpointTensor(name, tensor.Shape, storage.ElementType, data));
        }
        return new TensorDictionary(result);
    }

    private static void RequireSeekable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("the checkpoint stream must be seekable (a zip is read from its end)", nameof(stream));
    }

    private static FileStream OpenFile(string path, FileOptions options)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"checkpoint not found: {path}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, options);
    }

    private static T WithFileName<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    private static async Task<T> WithFileName<T>(string path, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }
}
