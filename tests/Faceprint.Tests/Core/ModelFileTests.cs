using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Faceprint.Core.Weights;

namespace Faceprint.Tests.Core;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "faceprint-core-tests-" + Guid.NewGuid().ToString("N"));

    public ModelFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private static ModelFile Sample()
    {
        var random = new Random(5);
        // Odd element counts so every tensor but the first needs alignment padding before it.
        NamedTensor Tensor(string name, params int[] shape)
        {
            var data = new float[NamedTensor.Count(shape)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
            return new NamedTensor(name, shape, data);
        }
        var config = new JsonObject
        {
            ["input_size"] = 112,
            ["width"] = 0.55,
            ["stages"] = new JsonArray(new JsonObject { ["t"] = 2, ["n"] = 5 }, new JsonObject { ["t"] = 4, ["n"] = 1 }),
            ["tf_same_padding"] = true,
            ["note"] = "ünïcode ✓",
        };
        return new ModelFile("mobilefacenet", config,
            [Tensor("stem.weight", 7, 3, 3, 3), Tensor("stem.bias", 7), Tensor("fc.weight", 5, 13), Tensor("empty", 0), Tensor("scalar")],
            new Dictionary<string, string> { ["source"] = "unit test", ["sha256"] = "abc123", ["converter"] = "1.0" });
    }

    private string SaveSample(out byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".fpm");
        Sample().Save(path);
        bytes = File.ReadAllBytes(path);
        return path;
    }

    private static int HeaderLength(byte[] bytes) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));

    private static int DataStart(byte[] bytes)
    {
        int end = 12 + HeaderLength(bytes) + 32;
        return (end + 63) / 64 * 64;
    }

    private ModelFormatException LoadFails(byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".fpm");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void SaveLoadRoundTrip()
    {
        var original = Sample();
        string path = Path.Combine(_dir, "nested", "dir", "model.fpm");
        original.Save(path);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temp file left behind

        var loaded = ModelFile.Load(path);
        Assert.Equal(original.Family, loaded.Family);
        Assert.True(JsonNode.DeepEquals(original.Config, loaded.Config), loaded.Config.ToJsonString());
        Assert.Equal(original.Metadata.OrderBy(kv => kv.Key), loaded.Metadata.OrderBy(kv => kv.Key));
        Assert.Equal(original.Tensors.Count, loaded.Tensors.Count);
        for (int i = 0; i < original.Tensors.Count; i++)
        {
            Assert.Equal(original.Tensors[i].Name, loaded.Tensors[i].Name);
            Assert.Equal(original.Tensors[i].Shape, loaded.Tensors[i].Shape);
            Assert.Equal(original.Tensors[i].Data, loaded.Tensors[i].Data); // bit-exact
        }

        // Saving over an existing file replaces it.
        new ModelFile("other", [], [], null).Save(path);
        var replaced = ModelFile.Load(path);
        Assert.Equal("other", replaced.Family);
        Assert.Empty(replaced.Tensors);
        Assert.Empty(replaced.Metadata);
    }

    [Fact]
    public void LayoutIsMagicVersionHeaderAndAlignedData()
    {
        SaveSample(out var bytes);
        Assert.Equal("FPM1"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        var header = JsonNode.Parse(bytes.AsSpan(12, HeaderLength(bytes)))!.AsObject();
        int dataStart = DataStart(bytes);
        Assert.Equal(0, dataStart % 64);
        Assert.Equal(bytes.Length - dataStart, header["data_bytes"]!.GetValue<long>());
        int headerEnd = 12 + HeaderLength(bytes);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(12, HeaderLength(bytes))), bytes[headerEnd..(headerEnd + 32)]);
        Assert.All(bytes[(headerEnd + 32)..dataStart], b => Assert.Equal(0, b));
        foreach (var t in header["tensors"]!.AsArray())
            Assert.Equal(0, t!["offset"]!.GetValue<long>() % 64);
        Assert.Equal(64, header["data_sha256"]!.GetValue<string>().Length);
    }

    [Fact]
    public void MissingFile()
    {
        string path = Path.Combine(_dir, "nope.fpm");
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("not found", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void EmptyFile() => Assert.Contains("magic", LoadFails([]).Message);

    [Fact]
    public void WrongMagic()
    {
        SaveSample(out var bytes);
        bytes[0] = (byte)'G';
        Assert.Contains("magic", LoadFails(bytes).Message);
        Assert.Contains("magic", LoadFails("PK\u0003\u0004 this is a zip"u8.ToArray()).Message);
    }

    [Fact]
    public void WrongVersion()
    {
        SaveSample(out var bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 3);
        Assert.Contains("version 3", LoadFails(bytes).Message);
    }

    [Fact]
    public void TruncatedAtAnyCutPoint()
    {
        SaveSample(out var bytes);
        int headerEnd = 12 + HeaderLength(bytes), dataStart = DataStart(bytes);
        int[] cuts = [1, 3, 4, 8, 11, 12, 13, 12 + HeaderLength(bytes) / 2, headerEnd - 1, headerEnd, dataStart - 1, dataStart, dataStart + 1,
            (dataStart + bytes.Length) / 2, bytes.Length - 4, bytes.Length - 1];
        foreach (int cut in cuts.Distinct())
        {
            var e = LoadFails(bytes[..cut]);
            if (cut >= 12) Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void FlippedDataByteFailsTheChecksum()
    {
        SaveSample(out var bytes);
        int dataStart = DataStart(bytes);
        foreach (int at in new[] { dataStart, dataStart + 100, bytes.Length - 1 })
        {
            var copy = (byte[])bytes.Clone();
            copy[at] ^= 0x10;
            Assert.Contains("checksum", LoadFails(copy).Message);
        }
    }

    [Fact]
    public void TrailingGarbage()
    {
        SaveSample(out var bytes);
        Assert.Contains("trailing", LoadFails([.. bytes, 0, 1, 2]).Message);
        Assert.Contains("trailing", LoadFails([.. bytes, .. new byte[64]]).Message);
    }

    [Fact]
    public void CorruptHeaderJson()
    {
        SaveSample(out var bytes);
        int headerLength = HeaderLength(bytes);
        string header = Encoding.UTF8.GetString(bytes, 12, headerLength);
        foreach (int at in new[] { 0, header.IndexOf("\"tensors\"", StringComparison.Ordinal), headerLength - 1 })
        {
            var copy = (byte[])bytes.Clone();
            copy[12 + at] = (byte)'#';
            Assert.Contains("header", LoadFails(copy).Message);
        }
        // A header length pointing past the end of the file.
        var longHeader = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(longHeader.AsSpan(8), bytes.Length);
        Assert.Contains("truncated", LoadFails(longHeader).Message);
        var negative = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(8), -5);
        LoadFails(negative);
    }

    /// <summary>Builds a file by hand around a header string (data empty unless given).</summary>
    private static byte[] RawFile(string header, byte[]? data = null)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        int start = (12 + headerBytes.Length + 32 + 63) / 64 * 64;
        var bytes = new byte[start + (data?.Length ?? 0)];
        "FPM1"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), headerBytes.Length);
        headerBytes.CopyTo(bytes, 12);
        System.Security.Cryptography.SHA256.HashData(headerBytes).CopyTo(bytes, 12 + headerBytes.Length);
        data?.CopyTo(bytes, start);
        return bytes;
    }

    private const string EmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void HandBuiltMinimalFileLoads()
    {
        var bytes = RawFile($$"""{"family":"x","tensors":[],"data_bytes":0,"data_sha256":"{{EmptySha}}"}""");
        string path = Path.Combine(_dir, "min.fpm");
        File.WriteAllBytes(path, bytes);
        var model = ModelFile.Load(path);
        Assert.Equal("x", model.Family);
        Assert.Empty(model.Config);
    }

    [Theory]
    [InlineData("""{"tensors":[],"data_bytes":0,"data_sha256":"SHA"}""", "family")]
    [InlineData("""{"family":"x","tensors":[],"data_sha256":"SHA"}""", "data_bytes")]
    [InlineData("""{"family":"x","tensors":[],"data_bytes":"zero","data_sha256":"SHA"}""", "data_bytes")]
    [InlineData("""{"family":"x","data_bytes":0,"data_sha256":"SHA"}""", "tensors")]
    [InlineData("""{"family":"x","tensors":[{"name":"t","shape":[2],"offset":0}],"data_bytes":0,"data_sha256":"SHA"}""", "outside")]
    [InlineData("""{"family":"x","tensors":[{"name":"t","shape":[-1],"offset":0}],"data_bytes":0,"data_sha256":"SHA"}""", "outside")]
    [InlineData("null", "header")]
    public void HeaderMissingOrBadFields(string header, string mentioned)
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(RawFile(header.Replace("SHA", EmptySha))));
        Assert.Contains(mentioned, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("""{"family":"x","tensors":{},"data_bytes":0,"data_sha256":"SHA"}""")]
    [InlineData("""{"family":"x","tensors":[1],"data_bytes":0,"data_sha256":"SHA"}""")]
    [InlineData("""{"family":"x","tensors":[{"name":"t","offset":0}],"data_bytes":0,"data_sha256":"SHA"}""")]
    [InlineData("""{"family":"x","tensors":[{"name":"t","shape":["2"],"offset":0}],"data_bytes":0,"data_sha256":"SHA"}""")]
    [InlineData("""{"family":"x","config":[],"tensors":[],"data_bytes":0,"data_sha256":"SHA"}""")]
    public void StructurallyWrongHeaderIsAModelFormatException(string header) =>
        Assert.Throws<ModelFormatException>(() => ModelFile.Parse(RawFile(header.Replace("SHA", EmptySha))));

    [Fact]
    public void FlippedByteInATensorOffsetFailsLoudly()
    {
        var model = new ModelFile("f", [], [new NamedTensor("a", [20], new float[20]), new NamedTensor("b", [4], [1, 2, 3, 4])]);
        string path = Path.Combine(_dir, "offset.fpm");
        model.Save(path);
        var bytes = File.ReadAllBytes(path);
        int at = Encoding.UTF8.GetString(bytes).IndexOf("\"offset\":128", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at + 11] = (byte)'2'; // 128 → 122: still inside the data, no longer 64-byte aligned, data now [0, 0, 2.3e-41, 2.3e-41]
        LoadFails(bytes);
    }

    [Fact]
    public void WeightSetValidateListsEveryMismatch()
    {
        var set = new WeightSet(
        [
            new NamedTensor("conv.weight", [4, 3, 3, 3], new float[108]),
            new NamedTensor("conv.bias", [3], new float[3]),
            new NamedTensor("stray", [1], new float[1]),
        ]);
        ParameterSpec[] expected =
        [
            new("conv.weight", [4, 3, 3, 3]),
            new("conv.bias", [4]),
            new("conv.alpha", [4]),
        ];
        var e = Assert.Throws<ModelFormatException>(() => set.Validate(expected, "TestNet"));
        Assert.Contains("TestNet", e.Message);
        Assert.Contains("missing conv.alpha[4]", e.Message);
        Assert.Contains("conv.bias has shape [3], expected [4]", e.Message);
        Assert.Contains("unexpected stray", e.Message);
        Assert.DoesNotContain("conv.weight", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        set.Validate([new("conv.weight", [4, 3, 3, 3]), new("conv.bias", [3]), new("stray", [1])], "TestNet");
        Assert.Equal(3, set.Tensors.Count);
        Assert.Equal(108, set["conv.weight"].Length);
    }

    [Fact]
    public void WeightSetValidateSummarisesLongLists()
    {
        var set = new WeightSet([]);
        var specs = Enumerable.Range(0, 12).Select(i => new ParameterSpec($"t{i}", [i + 1])).ToArray();
        var e = Assert.Throws<ModelFormatException>(() => set.Validate(specs, "Big"));
        Assert.Contains("missing t7[8]", e.Message);
        Assert.DoesNotContain("missing t8[", e.Message);
        Assert.Contains("and 4 more", e.Message);
    }

    [Fact]
    public void WeightSetRejectsDuplicatesAndSizeMismatches()
    {
        Assert.Contains("duplicate", Assert.Throws<ModelFormatException>(() =>
            new WeightSet([new NamedTensor("a", [1], [0f]), new NamedTensor("a", [1], [0f])])).Message);
        Assert.Contains("does not match", Assert.Throws<ModelFormatException>(() =>
            new WeightSet([new NamedTensor("a", [2, 2], new float[3])])).Message);
        var specs = new[] { new ParameterSpec("w", [2, 2]), new ParameterSpec("b", [2]) };
        var ok = WeightSet.FromOrdered(specs, [new float[4], new float[2]], "M");
        ok.Validate(specs, "M");
        Assert.Throws<ModelFormatException>(() => WeightSet.FromOrdered(specs, [new float[4]], "M"));
        Assert.Throws<ModelFormatException>(() => WeightSet.FromOrdered(specs, [new float[4], new float[3]], "M"));
    }
}
