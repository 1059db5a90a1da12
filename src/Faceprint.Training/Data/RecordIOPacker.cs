namespace Faceprint.Training.Data;

/// <summary>Packs an image folder into an InsightFace-layout RecordIO pack (header record, images, identity records).</summary>
public static class RecordIOPacker
{
    /// <summary>
    /// Writes every image of <paramref name="source"/> (files copied as encoded, not re-encoded) to <paramref name="recPath"/>:
    /// record 0 is the header with ranges [images end, identities end), records 1..N the images grouped by identity, then one
    /// record per identity whose extra labels give its image key range, as InsightFace's <c>im2rec</c> lays packs out.
    /// </summary>
    /// <returns>The number of images written.</returns>
    public static int Pack(ImageFolderDataset source, string recPath)
    {
        int n = source.Count, classes = source.ClassCount;
        using var writer = new RecordIOWriter(recPath);
        writer.Write(0, new RecordIOHeader(2, 0, 0, 0, [n + 1, n + 1 + classes]), []);
        var firstKey = new long[classes + 1];
        Array.Fill(firstKey, -1);
        for (int i = 0; i < n; i++)
        {
            int label = source.LabelOf(i);
            if (firstKey[label] < 0)
                firstKey[label] = i + 1;
            writer.Write(i + 1, RecordIOHeader.ForImage(label, (ulong)(i + 1)), File.ReadAllBytes(source.PathOf(i)));
        }
        firstKey[classes] = n + 1;
        for (int c = 0; c < classes; c++)
            writer.Write(n + 1 + c, new RecordIOHeader(2, 0, 0, 0, [firstKey[c], firstKey[c + 1]]), []);
        return n;
    }
}
