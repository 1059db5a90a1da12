using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CsCheck;
using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;

namespace Faceprint.Tests.Import.PyTorch;

public sealed class PyTorchCheckpointWriterTests
{
    private static byte[] Write(IEnumerable<CheckpointTensor> tensors)
    {
        var ms = new MemoryStream();
        PyTorchCheckpointWriter.Write(ms, tensors);
        return ms.ToArray();
    }

    private static void AssertSame(IReadOnlyList<CheckpointTensor> expected, TensorDictionary actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Keys);
        foreach (var e in expected)
        {
            var a = actual[e.Name];
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(e.ElementType, a.ElementType);
            Assert.Equal(e.Data, a.Data);
        }
    }

    [Fact]
    public void RandomStateDictsRoundTripExactly()
    {
        CheckpointGenerators.Tensors.Sample(tensors => AssertSame(tensors, PyTorchCheckpointReader.Read(new MemoryStream(Write(tensors)))), iter: 300);
    }

    [Fact]
    public void LayoutIsPyTorchs()
    {
        var file = Write([new CheckpointTensor("conv.weight", [2, 3], TensorElementType.Float32, [1, 2, 3, 4, 5, 6]),
                          new CheckpointTensor("bn.num_batches_tracked", [], TensorElementType.Int64, [7])]);
        using var zip = new ZipArchive(new MemoryStream(file));
        Assert.Equal(["archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/version"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength)); // stored, not deflated
        string Text(string name) => new StreamReader(zip.GetEntry(name)!.Open()).ReadToEnd();
        Assert.Equal("little", Text("archive/byteorder"));
        Assert.Equal("3\n", Text("archive/version"));

        // Walk the local headers: every record's data starts on a 64-byte boundary behind an "FB" padding field.
        int at = 0, records = 0;
        while (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) == 0x04034b50)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 28));
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 22));
            int extra = at + 30 + nameLength;
            Assert.Equal("FB", Encoding.ASCII.GetString(file, extra, 2));
            Assert.Equal(extraLength - 4, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(extra + 2)));
            int data = extra + extraLength;
            Assert.Equal(0, data % 64);
            at = data + size;
            records++;
        }
        Assert.Equal(5, records);
    }

    [Fact]
    public void PickleIsWhatTorchSaveWritesForAStateDict()
    {
        // Checked with python3 -m pickletools and a stand-in unpickler: OrderedDict() then SETITEMS of
        // name → _rebuild_tensor_v2(('storage', FloatStorage, '0', 'cpu', 6), 0, (2, 3), (3, 1), False, OrderedDict()).
        const string expected =
            "800263636f6c6c656374696f6e730a4f726465726564446963740a7100295228" +
            "580b000000636f6e762e776569676874710163746f7263682e5f7574696c730a" +
            "5f72656275696c645f74656e736f725f76320a71022828580700000073746f72" +
            "616765710363746f7263680a466c6f617453746f726167650a71045801000000" +
            "307105580300000063707571064b0674514b004b024b03864b034b0186896800" +
            "29527452752e";
        var file = Write([new CheckpointTensor("conv.weight", [2, 3], TensorElementType.Float32, [1, 2, 3, 4, 5, 6])]);
        using var zip = new ZipArchive(new MemoryStream(file));
        var pickle = new MemoryStream();
        zip.GetEntry("archive/data.pkl")!.Open().CopyTo(pickle);
        Assert.Equal(expected, Convert.ToHexStringLower(pickle.ToArray()));
    }

    [Fact]
    public void OutputIsReproducible()
    {
        var tensors = new[] { new CheckpointTensor(new NamedTensor("w", [3], [1, 2, 3])) };
        Assert.Equal(Write(tensors), Write(tensors));
    }

    [Fact]
    public async Task FilesAreWrittenAtomicallyAndReadBack()
    {
        string dir = Directory.CreateTempSubdirectory("faceprint-ptw-").FullName;
        try
        {
            var tensors = new List<CheckpointTensor>
            {
                new("stages.2.blocks.0.block.0.m.linear1.3.weight", [4, 2], TensorElementType.Float32, [.. Enumerable.Range(0, 8).Select(i => i / 3f)]),
                new("bn.num_batches_tracked", [], TensorElementType.Int64, [1_000_000]),
            };
            string path = Path.Combine(dir, "sub", "model.pt");
            await PyTorchCheckpointWriter.WriteAsync(path, tensors);
            AssertSame(tensors, await PyTorchCheckpointReader.ReadAsync(path));
            PyTorchCheckpointWriter.Write(path, tensors.Take(1));
            AssertSame(tensors.Take(1).ToList(), PyTorchCheckpointReader.Read(path));
            Assert.Equal(["model.pt"], Directory.GetFiles(Path.Combine(dir, "sub")).Select(Path.GetFileName));

            var stream = new MemoryStream();
            await PyTorchCheckpointWriter.WriteAsync(stream, tensors);
            Assert.Equal(Write(tensors), stream.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void EmptyTensorsKeepHugeDimensions()
    {
        // PyTorch's contiguous strides for [0, 70000, 70000] are [4.9e9, 70000, 1]: the first needs a 64-bit LONG1.
        var back = PyTorchCheckpointReader.Read(new MemoryStream(Write([new CheckpointTensor("e", [0, 70000, 70000], TensorElementType.Float32, [])])));
        Assert.Equal([0, 70000, 70000], back["e"].Shape);
        Assert.Empty(back["e"].Data);
    }

    [Fact]
    public void EmptyStateDictIsValid()
    {
        Assert.Empty(PyTorchCheckpointReader.Read(new MemoryStream(Write([]))));
    }

    [Fact]
    public void BadInputIsRefusedBeforeAnythingIsWritten()
    {
        string dir = Directory.CreateTempSubdirectory("faceprint-ptw-").FullName;
        try
        {
            string path = Path.Combine(dir, "bad.pt");
            var w = new CheckpointTensor("w", [2], TensorElementType.Float32, [1, 2]);
            Assert.Contains("duplicate", Assert.Throws<ArgumentException>(() => PyTorchCheckpointWriter.Write(path, [w, w])).Message);
            Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => PyTorchCheckpointWriter.Write(path, [w with { Shape = [3] }])).Message);
            Assert.False(File.Exists(path));
            var fraction = new CheckpointTensor("n", [], TensorElementType.Int64, [0.5f]);
            Assert.Contains("not representable as Int64", Assert.Throws<ArgumentException>(() => PyTorchCheckpointWriter.Write(path, [fraction])).Message);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void NarrowingRoundsToNearestEven()
    {
        // 1 + 2^-8 lies halfway between two bf16 neighbours (1 and 1 + 2^-7): ties go to the even mantissa, 1.
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties go to 1 + 2^-6.
        float[] values = [1 + 1f / 256, 1 + 3f / 256, 1 + 1f / 2048 + 1f / 4096];
        var back = PyTorchCheckpointReader.Read(new MemoryStream(Write([
            new CheckpointTensor("b", [3], TensorElementType.BFloat16, values),
            new CheckpointTensor("h", [3], TensorElementType.Float16, values)])));
        Assert.Equal([1f, 1 + 1f / 64, 1f], back["b"].Data);
        Assert.Equal([(float)(Half)values[0], (float)(Half)values[1], 1 + 1f / 1024], back["h"].Data);
    }
}
