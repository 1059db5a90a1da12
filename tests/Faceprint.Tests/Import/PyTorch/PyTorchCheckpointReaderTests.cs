using System.IO.Compression;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;

namespace Faceprint.Tests.Import.PyTorch;

public sealed class PyTorchCheckpointReaderTests
{
    private static TensorDictionary Read(byte[] file) => PyTorchCheckpointReader.Read(new MemoryStream(file));

    private static ModelFormatException Fails(byte[] file) => Assert.Throws<ModelFormatException>(() => Read(file));

    /// <summary>A state dict pickle (protocol 2) with the given tensors, each (name, key, class, numel, offset, size, stride).</summary>
    private static byte[] StateDict(params (string Name, string Key, string Class, long Numel, long Offset, long[] Size, long[] Stride)[] tensors)
    {
        var p = new PickleAssembler().Proto(2).Global("collections", "OrderedDict").BinPut(0).EmptyTuple().Reduce().BinPut(1).Mark();
        foreach (var t in tensors) p.Str(t.Name).Tensor(t.Key, t.Class, t.Numel, t.Offset, t.Size, t.Stride);
        return p.SetItems().Stop().ToArray();
    }

    private static readonly float[] Twelve = Enumerable.Range(0, 12).Select(i => i * 0.5f - 2).ToArray();

    [Fact]
    public void ViewsWithOffsetsStridesAndSharedStoragesAreGathered()
    {
        var pickle = StateDict(
            ("w", "0", "FloatStorage", 12, 0, [3, 4], [4, 1]),
            ("w_t", "0", "FloatStorage", 12, 0, [4, 3], [1, 4]),          // transpose: non-contiguous
            ("w_cols", "0", "FloatStorage", 12, 1, [3, 2], [4, 2]),       // offset + stride 2 in the last dim
            ("tail", "0", "FloatStorage", 12, 8, [4], [1]),               // contiguous slice with an offset
            ("broadcast", "0", "FloatStorage", 12, 5, [2, 3], [0, 1]),    // expanded: stride 0
            ("scalar", "0", "FloatStorage", 12, 11, [], []));
        var t = Read(TorchArchive.Build(pickle, new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(Twelve) }));

        Assert.Equal(["w", "w_t", "w_cols", "tail", "broadcast", "scalar"], t.Keys);
        Assert.Equal(Twelve, t["w"].Data);
        float At(int r, int c) => Twelve[r * 4 + c];
        Assert.Equal([4, 3], t["w_t"].Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => At(i % 3, i / 3)), t["w_t"].Data);
        Assert.Equal([At(0, 1), At(0, 3), At(1, 1), At(1, 3), At(2, 1), At(2, 3)], t["w_cols"].Data);
        Assert.Equal(Twelve[8..], t["tail"].Data);
        Assert.Equal([Twelve[5], Twelve[6], Twelve[7], Twelve[5], Twelve[6], Twelve[7]], t["broadcast"].Data);
        Assert.Empty(t["scalar"].Shape);
        Assert.Equal([Twelve[11]], t["scalar"].Data);
        // Views of one storage never share arrays, so changing one tensor cannot change another.
        Assert.NotSame(t["w"].Data, t["tail"].Data);
    }

    [Fact]
    public void ReducedPrecisionAndIntegerStoragesBecomeFloat32()
    {
        var pickle = StateDict(
            ("half", "h", "HalfStorage", 3, 0, [3], [1]),
            ("bf16", "b", "BFloat16Storage", 3, 0, [3], [1]),
            ("double", "d", "DoubleStorage", 2, 0, [2], [1]),
            ("bn.num_batches_tracked", "n", "LongStorage", 1, 0, [], []),
            ("int", "i", "IntStorage", 2, 0, [2], [1]));
        var storages = new Dictionary<string, byte[]>
        {
            ["h"] = TorchArchive.Halves(0.5f, -1.25f, 65504f),
            ["b"] = TorchArchive.BFloat16s(1f, -3.5f, 1.5e38f),
            ["d"] = TorchArchive.Doubles(0.1, -1e300),
            ["n"] = TorchArchive.Longs(123456),
            ["i"] = TorchArchive.Floats().Concat(BitConverter.GetBytes(-7)).Concat(BitConverter.GetBytes(9)).ToArray(),
        };
        var t = Read(TorchArchive.Build(pickle, storages));

        Assert.Equal([0.5f, -1.25f, 65504f], t["half"].Data);
        Assert.Equal(TensorElementType.Float16, t["half"].ElementType);
        Assert.Equal([1f, -3.5f, BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(1.5e38f) & 0xFFFF0000)], t["bf16"].Data);
        Assert.Equal([0.1f, float.NegativeInfinity], t["double"].Data);
        Assert.Equal([123456f], t["bn.num_batches_tracked"].Data);
        Assert.Equal(TensorElementType.Int64, t["bn.num_batches_tracked"].ElementType);
        Assert.Equal([-7f, 9f], t["int"].Data);
    }

    [Theory]
    [InlineData("state_dict")]
    [InlineData("model")]
    [InlineData("module")]
    public void StateDictIsFoundUnderTheUsualWrapperKeys(string key)
    {
        var p = new PickleAssembler().Proto(2).EmptyDict().Mark()
            .Str("epoch").Int(12)
            .Str("optimizer").EmptyDict()
            .Str(key).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .Str("module.fc.weight").Tensor("0", "FloatStorage", 2, 0, [1, 2], [2, 1])
            .Str("module.fc.bias").Tensor("1", "FloatStorage", 1, 0, [1], [1])
            .SetItems()
            .SetItems().Stop();
        var t = Read(TorchArchive.Build(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2), ["1"] = TorchArchive.Floats(3) }));

        Assert.Equal(["module.fc.weight", "module.fc.bias"], t.Keys);
        var stripped = t.WithoutPrefix("module.");
        Assert.Equal(["fc.weight", "fc.bias"], stripped.Keys);
        Assert.Equal([1f, 2f], stripped["fc.weight"].Data);
    }

    [Fact]
    public void ParametersAndStateDictMetadataAreAccepted()
    {
        // _rebuild_parameter(tensor, requires_grad, hooks), and BUILD applying {'_metadata': …} to the OrderedDict.
        var p = new PickleAssembler().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .Str("p").Global("torch._utils", "_rebuild_parameter")
            .Tensor("0", "FloatStorage", 2, 0, [2], [1]).True().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple3().Reduce()
            .SetItems()
            .EmptyDict().Str("_metadata").Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem().SetItem().Build()
            .Stop();
        var t = Read(TorchArchive.Build(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(4, 5) }));
        Assert.Equal([4f, 5f], Assert.Single(t.Tensors).Data);
    }

    [Fact]
    public void AnyArchiveFolderNameAndCompressedRecordsAreRead()
    {
        var pickle = StateDict(("x", "0", "FloatStorage", 3, 0, [3], [1]));
        var file = TorchArchive.Build(pickle, new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2, 3) },
            prefix: "resnet18-f37072fd", level: CompressionLevel.Optimal);
        Assert.Equal([1f, 2f, 3f], Read(file)["x"].Data);
    }

    [Fact]
    public void MissingByteorderRecordMeansLittleEndianAsInOldFiles()
    {
        var pickle = StateDict(("x", "0", "FloatStorage", 1, 0, [1], [1]));
        Assert.Equal([7f], Read(TorchArchive.Build(pickle, new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(7) }, byteOrder: null))["x"].Data);
    }

    [Fact]
    public void ContainerProblemsAreClearErrors()
    {
        var pickle = StateDict(("x", "0", "FloatStorage", 2, 0, [2], [1]));
        var storage = new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2) };

        Assert.Contains("big-endian", Fails(TorchArchive.Build(pickle, storage, byteOrder: "big")).Message);
        Assert.Contains("invalid byteorder", Fails(TorchArchive.Build(pickle, storage, byteOrder: "middle")).Message);
        Assert.Contains("version", Fails(TorchArchive.Build(pickle, storage, version: null)).Message);
        Assert.Contains("invalid version", Fails(TorchArchive.Build(pickle, storage, version: "three")).Message);
        Assert.Contains("lacks the record 'archive/data/0'", Fails(TorchArchive.Build(pickle, new Dictionary<string, byte[]>())).Message);
        Assert.Contains("holds 4 bytes", Fails(TorchArchive.Build(pickle, new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1) })).Message);
        Assert.Contains("no '<folder>/data.pkl'", Fails(TorchArchive.Zip([("archive/other.pkl", pickle)])).Message);
        Assert.Contains("several data.pkl", Fails(TorchArchive.Zip([("a/data.pkl", pickle), ("b/data.pkl", pickle)])).Message);
    }

    [Fact]
    public void EveryTruncationOfACheckpointIsAFormatError()
    {
        var file = TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 16, 0, [16], [1])),
            new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(new float[16]) });
        Assert.Equal(16, Read(file)["x"].Data.Length);
        for (int cut = 1; cut < file.Length; cut += 7)
            Fails(file[..cut]);
    }

    [Fact]
    public void CorruptedDataFailsItsChecksum()
    {
        var file = TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 2, 0, [2], [1])), new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2) });
        int at = file.AsSpan().IndexOf(TorchArchive.Floats(1, 2));
        file[at + 3] ^= 0x01;
        Assert.Contains("record 'archive/data/0' fails its CRC-32 check", Fails(file).Message);
    }

    [Fact]
    public void LegacyAndForeignFilesAreNamed()
    {
        // Legacy torch.save starts with a pickled magic number: PROTO 2, LONG1 0x1950a86a20f9469cfc6c.
        byte[] legacy = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];
        Assert.Contains("_use_new_zipfile_serialization=True", Fails(legacy).Message);
        var tar = new byte[1024];
        "ustar"u8.CopyTo(tar.AsSpan(257));
        Assert.Contains("legacy", Fails(tar).Message);
        Assert.Contains("empty file", Fails([]).Message);
        Assert.Contains("no zip signature", Fails("GIF89a........"u8.ToArray()).Message);
    }

    [Fact]
    public void InconsistentTensorsAreRefused()
    {
        var storage = new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2, 3, 4) };
        Assert.Contains("reads past the end of storage 0", Fails(TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 4, 1, [2, 2], [2, 1])), storage)).Message);
        Assert.Contains("reads past the end", Fails(TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 4, 5, [0], [1])), storage)).Message);
        Assert.Contains("declared twice differently", Fails(TorchArchive.Build(StateDict(
            ("x", "0", "FloatStorage", 4, 0, [4], [1]), ("y", "0", "HalfStorage", 8, 0, [8], [1])), storage)).Message);
        Assert.Contains("2 sizes but 1 strides", Fails(TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 4, 0, [2, 2], [1])), storage)).Message);
        Assert.Contains("reads past the end", Fails(TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 4, 0, [2, 2], [long.MaxValue / 2, 1])), storage)).Message);
    }

    [Fact]
    public void ObjectsThatAreNotStateDictsAreExplained()
    {
        var list = new PickleAssembler().Proto(2).EmptyList().Stop().ToArray();
        Assert.Contains("holds a list, not a state dict", Fails(TorchArchive.Build(list, new Dictionary<string, byte[]>())).Message);

        var mixed = new PickleAssembler().Proto(2).EmptyDict().Mark().Str("epoch").Int(3).Str("best_acc").Float(0.9).SetItems().Stop().ToArray();
        var message = Fails(TorchArchive.Build(mixed, new Dictionary<string, byte[]>())).Message;
        Assert.Contains("entry 'epoch' is a int, not a tensor", message);
        Assert.Contains("top-level keys: epoch, best_acc", message);

        var wrappedJunk = new PickleAssembler().Proto(2).EmptyDict().Str("state_dict").EmptyDict().Str("a").Str("b").SetItem().SetItem().Stop().ToArray();
        Assert.Contains("checkpoint entry 'state_dict': entry 'a' is a str", Fails(TorchArchive.Build(wrappedJunk, new Dictionary<string, byte[]>())).Message);
    }

    [Fact]
    public async Task FileAndAsyncReadsAgreeAndNameTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("faceprint-pt-").FullName;
        try
        {
            var file = TorchArchive.Build(StateDict(("x", "0", "FloatStorage", 2, 0, [2], [1])), new Dictionary<string, byte[]> { ["0"] = TorchArchive.Floats(1, 2) });
            string path = Path.Combine(dir, "weights.pth");
            await File.WriteAllBytesAsync(path, file);
            Assert.Equal([1f, 2f], PyTorchCheckpointReader.Read(path)["x"].Data);
            Assert.Equal(new[] { 1f, 2f }, (await PyTorchCheckpointReader.ReadAsync(path))["x"].Data);
            Assert.Equal(new[] { 1f, 2f }, (await PyTorchCheckpointReader.ReadAsync(new MemoryStream(file)))["x"].Data);

            string broken = Path.Combine(dir, "broken.pt");
            await File.WriteAllBytesAsync(broken, file[..(file.Length / 2)]);
            Assert.StartsWith("broken.pt: ", (await Assert.ThrowsAsync<ModelFormatException>(() => PyTorchCheckpointReader.ReadAsync(broken))).Message);
            Assert.StartsWith("broken.pt: ", Assert.Throws<ModelFormatException>(() => PyTorchCheckpointReader.Read(broken)).Message);
            Assert.Contains("not found", Assert.Throws<ModelFormatException>(() => PyTorchCheckpointReader.Read(Path.Combine(dir, "absent.pt"))).Message);

            using var cts = new CancellationTokenSource();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PyTorchCheckpointReader.ReadAsync(path, cts.Token));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
