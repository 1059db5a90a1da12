using System.Text;
using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// Writes tensors as a PyTorch checkpoint that <c>torch.load</c> (also with <c>weights_only=True</c>) reads as an
/// OrderedDict state dict: a zip of stored records <c>archive/data.pkl</c> (pickle protocol 2 mapping each name to
/// <c>torch._utils._rebuild_tensor_v2</c> of a 'storage' persistent id), <c>archive/byteorder</c> ("little"),
/// <c>archive/data/0..n-1</c> (one contiguous storage per tensor, 64-byte aligned) and <c>archive/version</c> ("3").
/// Each tensor is stored in its <see cref="CheckpointTensor.ElementType"/>.
/// </summary>
public static class PyTorchCheckpointWriter
{
    private const string Prefix = "archive/";

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write(string path, IEnumerable<CheckpointTensor> tensors)
    {
        var chunks = Chunks(tensors.ToList());
        AtomicFile.Write(path, stream =>
        {
            foreach (var chunk in chunks) stream.Write(chunk.Span);
        });
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static Task WriteAsync(string path, IEnumerable<CheckpointTensor> tensors, CancellationToken ct = default)
    {
        var chunks = Chunks(tensors.ToList());
        return AtomicFile.WriteAsync(path, stream => WriteChunksAsync(stream, chunks, ct), ct);
    }

    /// <summary>Writes the checkpoint to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<CheckpointTensor> tensors)
    {
        foreach (var chunk in Chunks(tensors.ToList())) stream.Write(chunk.Span);
    }

    /// <summary>Writes the checkpoint to <paramref name="stream"/>.</summary>
    public static Task WriteAsync(Stream stream, IEnumerable<CheckpointTensor> tensors, CancellationToken ct = default) =>
        WriteChunksAsync(stream, Chunks(tensors.ToList()), ct);

    private static async Task WriteChunksAsync(Stream stream, IEnumerable<ReadOnlyMemory<byte>> chunks, CancellationToken ct)
    {
        foreach (var chunk in chunks) await stream.WriteAsync(chunk, ct);
    }

    /// <summary>The archive as chunks; validation runs before the first chunk, encoding one tensor at a time.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(IReadOnlyList<CheckpointTensor> tensors)
    {
        Validate(tensors);
        return Lay(tensors);

        static IEnumerable<ReadOnlyMemory<byte>> Lay(IReadOnlyList<CheckpointTensor> tensors)
        {
            var zip = new AlignedZipBuilder();
            foreach (var c in zip.Entry(Prefix + "data.pkl", Pickle(tensors))) yield return c;
            foreach (var c in zip.Entry(Prefix + "byteorder", "little"u8.ToArray())) yield return c;
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
                foreach (var c in zip.Entry(Prefix + "data/" + StorageKey(i), TensorElementCodec.Encode(t.Data, t.ElementType, t.Name))) yield return c;
            }
            foreach (var c in zip.Entry(Prefix + "version", Encoding.ASCII.GetBytes("3\n"))) yield return c;
            yield return zip.Finish();
        }
    }

    private static void Validate(IReadOnlyList<CheckpointTensor> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!names.Add(t.Name)) throw new ArgumentException($"duplicate tensor '{t.Name}'", nameof(tensors));
            if (t.Shape.Any(d => d < 0) || NamedTensor.Count(t.Shape) != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}' shape {NamedTensor.Format(t.Shape)} does not match its {t.Data.Length} values", nameof(tensors));
        }
    }

    private static string StorageKey(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Pickle(IReadOnlyList<CheckpointTensor> tensors)
    {
        var p = new PickleWriter();
        p.Global("collections", "OrderedDict");
        p.Op(PickleOpcode.EmptyTuple);
        p.Op(PickleOpcode.Reduce);
        if (tensors.Count == 0) return p.Finish();
        p.Op(PickleOpcode.Mark);
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            p.String(t.Name);
            p.Global("torch._utils", "_rebuild_tensor_v2");
            p.Op(PickleOpcode.Mark);
            // Persistent id ('storage', storage class, key, location, element count) names the data/<key> record.
            p.Op(PickleOpcode.Mark);
            p.String("storage");
            p.Global("torch", StorageClass(t.ElementType));
            p.String(StorageKey(i));
            p.String("cpu");
            p.Int(t.Data.Length);
            p.Op(PickleOpcode.Tuple);
            p.Op(PickleOpcode.BinPersId);
            p.Int(0);
            p.IntTuple(t.Shape.Select(d => (long)d).ToArray());
            p.IntTuple(RowMajorStrides(t.Shape));
            p.Op(PickleOpcode.NewFalse);
            p.Global("collections", "OrderedDict");
            p.Op(PickleOpcode.EmptyTuple);
            p.Op(PickleOpcode.Reduce);
            p.Op(PickleOpcode.Tuple);
            p.Op(PickleOpcode.Reduce);
        }
        p.Op(PickleOpcode.SetItems);
        return p.Finish();
    }

    private static string StorageClass(TensorElementType type) =>
        TorchStorageType.Known.Values.First(s => s.ElementType == type).Name;

    private static long[] RowMajorStrides(int[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= Math.Max(shape[d], 1); // PyTorch gives a zero-size dimension's neighbours strides as if it were 1
        }
        return strides;
    }
}
