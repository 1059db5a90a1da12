using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.Safetensors;
using Faceprint.Tests.Import.PyTorch;

namespace Faceprint.Tests.Import.Safetensors;

public sealed class SafetensorsTests
{
    private static byte[] Write(IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ms = new MemoryStream();
        SafetensorsWriter.Write(ms, tensors, metadata);
        return ms.ToArray();
    }

    private static TensorDictionary Read(byte[] file) => SafetensorsReader.Read(new MemoryStream(file));

    /// <summary>A file with <paramref name="header"/> as its JSON and <paramref name="dataLength"/> zero data bytes.</summary>
    private static byte[] File(string header, int dataLength)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        return file;
    }

    private static string Fails(byte[] file) => Assert.Throws<ModelFormatException>(() => Read(file)).Message;

    [Fact]
    public void RandomTensorSetsRoundTripExactly()
    {
        CheckpointGenerators.Tensors.Sample(tensors =>
        {
            var back = Read(Write(tensors));
            Assert.Equal(tensors.Select(t => t.Name), back.Keys);
            foreach (var t in tensors)
            {
                Assert.Equal(t.Shape, back[t.Name].Shape);
                Assert.Equal(t.ElementType, back[t.Name].ElementType);
                Assert.Equal(t.Data, back[t.Name].Data);
            }
        }, iter: 300);
    }

    [Fact]
    public void HeaderIsPaddedJsonWithMetadata()
    {
        var file = Write([new CheckpointTensor("a", [2], TensorElementType.Float16, [1, 2]), new CheckpointTensor("b", [1], TensorElementType.Float32, [3])],
            new Dictionary<string, string> { ["format"] = "pt", ["source"] = "test" });
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, n % 8);
        string header = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.Equal("{\"__metadata__\":{\"format\":\"pt\",\"source\":\"test\"},\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            header.TrimEnd(' '));
        Assert.Equal(8 + (int)n + 8, file.Length);
        var back = Read(file);
        Assert.Equal("test", back.Metadata["source"]);
        Assert.Equal([1f, 2f], back["a"].Data);
    }

    [Fact]
    public void HandWrittenFileInTheSpecsShapeIsRead()
    {
        // Header order differs from data order, and the writer of this file left no padding.
        var file = File("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[8,12]},\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}", 12);
        int data = file.Length - 12;
        BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(data), -0.75);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(data + 8), 0x3fc0); // 1.5
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(data + 10), 0xc000); // -2
        var t = Read(file);
        Assert.Equal(["w", "x"], t.Keys);
        Assert.Equal([1.5f, -2f], t["w"].Data);
        Assert.Equal([-0.75f], t["x"].Data);
        Assert.Empty(t["x"].Shape);
    }

    [Theory]
    [InlineData("[1,2]", 0, "does not start with '{'")]
    [InlineData("{\"a\":", 0, "not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "lists 'a' twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4, "unexpected or malformed field 'extra'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "lacks dtype, shape or data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4, "unsupported dtype U8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "invalid shape")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "invalid shape")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "invalid data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4, "invalid data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "spans 4 bytes, but F32[2] needs 8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "past the 4-byte data section")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "'a' and 'b' overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "4 unused bytes before tensor 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "8 bytes of the data section belong to no tensor")]
    [InlineData("{\"__metadata__\":{\"n\":1}}", 0, "metadata 'n' is not a string")]
    [InlineData("{\"__metadata__\":[]}", 0, "'__metadata__' is not an object")]
    [InlineData("{\"a\":3}", 0, "tensor 'a' is not an object")]
    public void HeaderProblemsAreNamed(string header, int dataLength, string expected)
    {
        Assert.Contains(expected, Fails(File(header, dataLength)));
    }

    [Fact]
    public void LengthPrefixProblemsAreNamed()
    {
        Assert.Contains("truncated", Fails([1, 2, 3]));
        var huge = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue);
        Assert.Contains("exceeds", Fails(huge));
        var past = File("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(past, 100);
        Assert.Contains("truncated file: header of 100 bytes", Fails(past));
        var file = Write([new CheckpointTensor("a", [3], TensorElementType.Float32, [1, 2, 3])]);
        Assert.Contains("belong to no tensor", Fails([.. file, 0]));
        for (int cut = 9; cut < file.Length; cut += 3) Assert.Throws<ModelFormatException>(() => Read(file[..cut]));
    }

    [Fact]
    public async Task FilesRoundTripAsyncAndErrorsNameTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("faceprint-st-").FullName;
        try
        {
            var tensors = new[] { new CheckpointTensor("w", [2, 2], TensorElementType.Float32, [1, 2, 3, 4]) };
            string path = Path.Combine(dir, "model.safetensors");
            await SafetensorsWriter.WriteAsync(path, tensors, new Dictionary<string, string> { ["k"] = "v" });
            var back = await SafetensorsReader.ReadAsync(path);
            Assert.Equal([1f, 2f, 3f, 4f], back["w"].Data);
            Assert.Equal("v", back.Metadata["k"]);
            SafetensorsWriter.Write(path, tensors);
            Assert.Empty(SafetensorsReader.Read(path).Metadata);
            Assert.Equal(["model.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));

            await System.IO.File.WriteAllBytesAsync(path, System.IO.File.ReadAllBytes(path)[..20]);
            Assert.StartsWith("model.safetensors: safetensors: truncated", (await Assert.ThrowsAsync<ModelFormatException>(() => SafetensorsReader.ReadAsync(path))).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void WriterRefusesReservedAndDuplicateNames()
    {
        var t = new CheckpointTensor("__metadata__", [1], TensorElementType.Float32, [1]);
        Assert.Throws<ArgumentException>(() => Write([t]));
        var a = t with { Name = "a" };
        Assert.Throws<ArgumentException>(() => Write([a, a]));
    }
}
