using System.Buffers.Binary;
using Faceprint.Imaging;
using Faceprint.Training.Data;

namespace Faceprint.Training.Tests.Data;

public sealed class RecordIOTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-recordio-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Rec => Path.Combine(_folder, "train.rec");

    private string Idx => Path.Combine(_folder, "train.idx");

    [Fact]
    public void RecordsRoundTripIncludingSplitRecordsAndExtraLabels()
    {
        // A payload with the magic word at a 4-byte-aligned position (offset 24 + 8 after the header) must be split and rejoined.
        var withMagic = new byte[40];
        Random.Shared.NextBytes(withMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(withMagic.AsSpan(8), 0xced7230a);
        BinaryPrimitives.WriteUInt32LittleEndian(withMagic.AsSpan(20), 0xced7230a);
        var odd = new byte[13];
        Random.Shared.NextBytes(odd);
        var records = new (long Key, RecordIOHeader Header, byte[] Image)[]
        {
            (0, new RecordIOHeader(2, 0, 0, 0, [3, 5]), []),
            (1, RecordIOHeader.ForImage(7, 1), odd),
            (2, new RecordIOHeader(3, 0, 2, 9, [4, 1.5f, -2]), withMagic),
        };
        using (var writer = new RecordIOWriter(Rec))
            foreach (var (key, header, image) in records)
                writer.Write(key, header, image);

        // The split record is stored in three parts, each padded to 4 bytes.
        Assert.Equal(3, CountMagic(File.ReadAllBytes(Rec)) - 2);
        using var reader = new RecordIOReader(Rec);
        Assert.Equal([0L, 1, 2], reader.Keys);
        foreach (var (key, header, image) in records)
        {
            var read = reader.Read(key);
            Assert.Equal(image, read.Image);
            Assert.Equal((header.Flag, header.Label, header.Id, header.Id2), (read.Header.Flag, read.Header.Label, read.Header.Id, read.Header.Id2));
            Assert.Equal(header.ExtraLabels, read.Header.ExtraLabels);
            Assert.Equal(header.ExtraLabels, reader.ReadHeader(key).ExtraLabels);
        }
        Assert.Equal(4, reader.Read(2).Header.ClassLabel);
        Assert.Equal(7, reader.Read(1).Header.ClassLabel);
    }

    [Fact]
    public void PackedFolderReadsBackWithHeaderRecordIdentityRangeAndPixels()
    {
        var root = Path.Combine(_folder, "faces");
        for (int person = 0; person < 3; person++)
        {
            Directory.CreateDirectory(Path.Combine(root, $"p{person}"));
            for (int view = 0; view <= person; view++)
                ImageWriter.SavePng(GlyphFaces.Render(3, person, view, 16), Path.Combine(root, $"p{person}", $"{view}.png"));
        }
        var folder = new ImageFolderDataset(root);
        Assert.Equal(6, RecordIOPacker.Pack(folder, Rec));

        using var pack = new RecordIODataset(Rec);
        Assert.Equal(6, pack.Count);
        Assert.Equal(3, pack.ClassCount);
        for (int i = 0; i < pack.Count; i++)
        {
            var fromPack = pack.Load(i);
            var fromFolder = folder.Load(i);
            Assert.Equal(fromFolder.Label, fromPack.Label);
            Assert.Equal(fromFolder.Image.Pixels, fromPack.Image.Pixels);
        }
        // Identity records (after the images) give each identity's key range, as im2rec writes them.
        using var reader = new RecordIOReader(Rec);
        Assert.Equal([4f, 7f], reader.Read(9).Header.ExtraLabels);
    }

    [Fact]
    public void PackWithoutHeaderRecordTreatsEveryRecordAsAnImage()
    {
        var png = ImageWriter.EncodePng(GlyphFaces.Render(1, 0, 0, 16));
        using (var writer = new RecordIOWriter(Rec))
            for (int k = 0; k < 4; k++)
                writer.Write(k, RecordIOHeader.ForImage(k % 2 == 0 ? 0 : 4, (ulong)k), png);
        using var pack = new RecordIODataset(Rec);
        Assert.Equal(4, pack.Count);
        Assert.Equal(5, pack.ClassCount);
        Assert.Equal(4, pack.Load(1).Label);
    }

    [Fact]
    public void TruncatedPackIsReportedAsTruncated()
    {
        WriteTwoImages();
        var bytes = File.ReadAllBytes(Rec);
        File.WriteAllBytes(Rec, bytes[..^10]);
        using var reader = new RecordIOReader(Rec);
        var error = Assert.Throws<RecordIOFormatException>(() => reader.Read(1));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("record 1", error.Message);
    }

    [Fact]
    public void IndexPointingOutsideTheFileIsRejectedOnOpen()
    {
        WriteTwoImages();
        File.WriteAllBytes(Rec, File.ReadAllBytes(Rec)[..20]);
        var error = Assert.Throws<RecordIOFormatException>(() => new RecordIOReader(Rec));
        Assert.Contains("line 2", error.Message);
        Assert.Contains("outside", error.Message);
    }

    [Fact]
    public void CorruptMagicAndMalformedIndexAreReported()
    {
        WriteTwoImages();
        var bytes = File.ReadAllBytes(Rec);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(Rec, bytes);
        using (var reader = new RecordIOReader(Rec))
            Assert.Contains("bad magic", Assert.Throws<RecordIOFormatException>(() => reader.Read(0)).Message);

        File.WriteAllText(Idx, "0\t0\nnot a line\n");
        Assert.Contains("line 2", Assert.Throws<RecordIOFormatException>(() => new RecordIOReader(Rec)).Message);
        File.WriteAllText(Idx, "0\t0\n0\t0\n");
        Assert.Contains("twice", Assert.Throws<RecordIOFormatException>(() => new RecordIOReader(Rec)).Message);
        File.Delete(Idx);
        Assert.Contains("index not found", Assert.Throws<RecordIOFormatException>(() => new RecordIOReader(Rec)).Message);
    }

    [Fact]
    public void HeaderAnnouncingMoreLabelsThanTheRecordHoldsIsRejected()
    {
        using (var writer = new RecordIOWriter(Rec))
            writer.Write(5, RecordIOHeader.ForImage(1, 5), new byte[8]);
        var bytes = File.ReadAllBytes(Rec);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 1000); // flag field of the IRHeader
        File.WriteAllBytes(Rec, bytes);
        using var reader = new RecordIOReader(Rec);
        Assert.Contains("1000 extra labels", Assert.Throws<RecordIOFormatException>(() => reader.Read(5)).Message);
    }

    private void WriteTwoImages()
    {
        var png = ImageWriter.EncodePng(GlyphFaces.Render(1, 0, 0, 16));
        using var writer = new RecordIOWriter(Rec);
        writer.Write(0, RecordIOHeader.ForImage(0, 0), png);
        writer.Write(1, RecordIOHeader.ForImage(1, 1), png);
    }

    private static int CountMagic(byte[] bytes)
    {
        int count = 0;
        for (int i = 0; i + 4 <= bytes.Length; i += 4)
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == 0xced7230a)
                count++;
        return count;
    }
}
