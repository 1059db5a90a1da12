using Faceprint.Imaging;

namespace Faceprint.Training.Data;

/// <summary>
/// An InsightFace training pack (<c>train.rec</c> + <c>train.idx</c>) as a dataset. When record 0 is a header
/// (flag &gt; 0), its first two extra labels give the image key range [1, a) and the identity-record range [a, b), so
/// images are records 1..a−1 and there are b−a classes, as InsightFace's MXFaceDataset reads it; otherwise every
/// record is an image and the class count is one more than the largest label.
/// </summary>
public sealed class RecordIODataset : IFaceDataset, IDisposable
{
    private readonly RecordIOReader _reader;
    private readonly long[] _keys;

    /// <summary>Opens the pack at <paramref name="recPath"/> (index next to it, extension <c>.idx</c>).</summary>
    /// <exception cref="RecordIOFormatException">The pack or its index is missing, corrupt, or its header is inconsistent.</exception>
    public RecordIODataset(string recPath, string? idxPath = null)
    {
        _reader = new RecordIOReader(recPath, idxPath);
        try
        {
            (_keys, ClassCount) = Layout(_reader);
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int Count => _keys.Length;

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public FaceSample Load(int index)
    {
        long key = _keys[index];
        var record = _reader.Read(key);
        string name = $"{Path.GetFileName(_reader.RecPath)} record {key}";
        int label = record.Header.ClassLabel;
        if (label < 0 || label >= ClassCount)
            throw new RecordIOFormatException($"{name}: label {label} is outside the pack's {ClassCount} classes");
        return new FaceSample(ImageLoader.Decode(record.Image, sourceName: name), label);
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private static (long[] Keys, int Classes) Layout(RecordIOReader reader)
    {
        string name = Path.GetFileName(reader.RecPath);
        if (reader.Contains(0))
        {
            var header = reader.ReadHeader(0);
            if (header.Flag > 0)
            {
                if (header.ExtraLabels.Count < 2)
                    throw new RecordIOFormatException($"{name}: header record 0 has {header.ExtraLabels.Count} extra label(s), expected the image and identity ranges (2)");
                long imageEnd = (long)header.ExtraLabels[0], identityEnd = (long)header.ExtraLabels[1];
                if (imageEnd < 1 || identityEnd < imageEnd)
                    throw new RecordIOFormatException($"{name}: header record 0 gives inconsistent ranges: images [1, {imageEnd}), identities [{imageEnd}, {identityEnd})");
                var keys = new long[imageEnd - 1];
                for (long k = 1; k < imageEnd; k++)
                {
                    if (!reader.Contains(k))
                        throw new RecordIOFormatException($"{name}: header promises images 1..{imageEnd - 1} but the index lacks key {k}");
                    keys[k - 1] = k;
                }
                return (keys, checked((int)(identityEnd - imageEnd)));
            }
        }
        // No header: every record is an image; scan the labels once for the class count.
        var all = reader.Keys.ToArray();
        int max = -1;
        foreach (long key in all)
            max = Math.Max(max, reader.ReadHeader(key).ClassLabel);
        if (all.Length == 0)
            throw new RecordIOFormatException($"{name}: the pack holds no records");
        return (all, max + 1);
    }
}
