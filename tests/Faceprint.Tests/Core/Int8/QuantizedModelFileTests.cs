using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Recognition;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>Model file format version 2: int8 tensors (codes + per-output-channel scales), strict reading, and int8 files that run bit-identically.</summary>
public sealed class QuantizedModelFileTests : IDisposable
{
    private static readonly TensorShape Face = new(1, 112, 112, 3);
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-q8file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static QuantizedTensor Sample() =>
        new("fc.weight", [3, 5, 1, 1], [1, -2, 3, 127, -127, 0, 0, 0, 0, 1, 5, 6, 7, 8, 9], [0.5f, 0.125f, 2e-3f]);

    private string SaveToFile(ModelFile file, out byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".fpm");
        file.Save(path);
        bytes = File.ReadAllBytes(path);
        return path;
    }

    [Fact]
    public void Int8TensorsRoundTripAsVersionTwoAndFp32FilesStayVersionOne()
    {
        var q = Sample();
        var file = new ModelFile("x", [], [new NamedTensor("fc.bias", [3], [1f, 2f, 3f])], null, [q]);
        var loaded = ModelFile.Load(SaveToFile(file, out var bytes));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        var back = Assert.Single(loaded.QuantizedTensors);
        Assert.Equal(q.Shape, back.Shape);
        Assert.Equal(q.Codes, back.Codes);
        Assert.Equal(q.Scales, back.Scales);
        Assert.Equal(["fc.bias"], loaded.FloatTensors.Select(t => t.Name));
        // Definitions see every tensor in fp32: the int8 one dequantized, code × its channel's scale.
        var dequantized = loaded.Tensors.Single(t => t.Name == "fc.weight");
        Assert.Equal(127 * 0.5f, dequantized.Data[3]);
        Assert.Equal(5 * 2e-3f, dequantized.Data[10]);

        SaveToFile(new ModelFile("x", [], [new NamedTensor("fc.bias", [3], [1f, 2f, 3f])]), out var fp32Bytes);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(fp32Bytes.AsSpan(4)));
    }

    [Fact]
    public void ANewerFormatVersionIsRefusedByNumber()
    {
        SaveToFile(new ModelFile("x", [], [], null, [Sample()]), out var bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 3);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes));
        Assert.Contains("unsupported model format version 3", e.Message);
    }

    /// <summary>A well-formed file (valid checksums) around one int8 entry, so only the entry's defect can fail it.</summary>
    private static byte[] FileWith(JsonObject entry, byte[] data, int version = 2)
    {
        var header = new JsonObject
        {
            ["family"] = "x",
            ["tensors"] = new JsonArray(entry),
            ["data_bytes"] = data.Length,
            ["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int start = (12 + headerBytes.Length + 32 + 63) / 64 * 64;
        var bytes = new byte[start + data.Length];
        "FPM1"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), headerBytes.Length);
        headerBytes.CopyTo(bytes, 12);
        SHA256.HashData(headerBytes).CopyTo(bytes, 12 + headerBytes.Length);
        data.CopyTo(bytes, start);
        return bytes;
    }

    private static JsonObject Entry(int[] shape, long scalesOffset = 64, long scaleCount = 2, long offset = 0) => new()
    {
        ["name"] = "w",
        ["dtype"] = "s8",
        ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
        ["offset"] = offset,
        ["scales_offset"] = scalesOffset,
        ["scale_count"] = scaleCount,
    };

    /// <summary>128 bytes: 4 codes at 0, two fp32 scales at 64.</summary>
    private static byte[] Data(float scale0 = 0.5f, float scale1 = 0.25f, sbyte code = 3)
    {
        var data = new byte[128];
        data[0] = (byte)code;
        data[1] = 1;
        MemoryMarshal.Write(data.AsSpan(64), scale0);
        MemoryMarshal.Write(data.AsSpan(68), scale1);
        return data;
    }

    [Fact]
    public void AHandBuiltInt8FileLoads()
    {
        var file = ModelFile.Parse(FileWith(Entry([2, 2, 1, 1]), Data()));
        var q = Assert.Single(file.QuantizedTensors);
        Assert.Equal([3, 1, 0, 0], q.Codes.Select(c => (int)c));
        Assert.Equal([0.5f, 0.25f], q.Scales);
    }

    [Theory]
    [InlineData(float.NaN, "scale NaN of channel 0")]
    [InlineData(0f, "scale 0 of channel 0")]
    [InlineData(-1f, "scale -1 of channel 0")]
    [InlineData(float.PositiveInfinity, "not a positive finite number")]
    public void BadScalesAreRefused(float scale, string reason)
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Parse(FileWith(Entry([2, 2, 1, 1]), Data(scale0: scale))));
        Assert.Contains(reason, e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void StructuralDefectsAreRefusedWithTheReason()
    {
        string Fails(byte[] bytes) => Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes)).Message;
        Assert.Contains("3 scales for 2 output channels", Fails(FileWith(Entry([2, 2, 1, 1], scaleCount: 3), Data())));
        Assert.Contains("code -128", Fails(FileWith(Entry([2, 2, 1, 1]), Data(code: sbyte.MinValue))));
        // Codes running into the scales, scales past the end, misaligned codes, a zero dimension.
        Assert.Contains("overlap", Fails(FileWith(Entry([2, 40, 1, 1]), Data())));
        Assert.Contains("scales", Fails(FileWith(Entry([2, 2, 1, 1], scalesOffset: 128), Data())));
        Assert.Contains("misaligned", Fails(FileWith(Entry([2, 2, 1, 1], offset: 3), Data())));
        Assert.Contains("invalid shape", Fails(FileWith(Entry([0, 2, 1, 1]), Data())));
        Assert.Contains("scales_offset", Fails(FileWith(new JsonObject { ["name"] = "w", ["dtype"] = "s8", ["shape"] = new JsonArray(2, 2), ["offset"] = 0 }, Data())));
        // Version 1 has no int8 tensors: a version-1 file naming one is not misread.
        Assert.Contains("unknown dtype 's8' for format version 1", Fails(FileWith(Entry([2, 2, 1, 1]), Data(), version: 1)));
        Assert.Contains("unknown dtype 'f16'", Fails(FileWith(new JsonObject { ["name"] = "w", ["dtype"] = "f16", ["shape"] = new JsonArray(1), ["offset"] = 0 }, Data())));
    }

    [Fact]
    public void TruncatedInt8FilesFail()
    {
        SaveToFile(new ModelFile("x", [], [], null, [Sample()]), out var bytes);
        foreach (int cut in new[] { bytes.Length - 1, bytes.Length - 64, bytes.Length / 2, 20 })
            Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelFile.Parse(bytes.AsSpan(0, cut))).Message);
    }

    [Fact]
    public void InMemoryInt8TensorsAreValidatedToo()
    {
        Assert.Throws<ModelFormatException>(() => new ModelFile("x", [], [], null, [Sample() with { Scales = [1f, 1f] }]));
        var both = Assert.Throws<ModelFormatException>(() => new ModelFile("x", [], [new NamedTensor("fc.weight", [1], [1f])], null, [Sample()]));
        Assert.Contains("both as fp32 and as int8", both.Message);
    }

    private static QuantizationPlan CalibratedPlan(ModelFile file, int seed)
    {
        var calibrator = new ActivationCalibrator(Faceprint.Models.ModelFamilies.Build(file));
        var random = new Random(seed);
        for (int i = 0; i < 2; i++) calibrator.Observe(RandomFloats(random, Face.Size), Face);
        return new QuantizationPlan(CalibrationMethod.MinMax, 2, calibrator.Ranges.Where(kv => kv.Key != "embed").ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)), ["embed"]);
    }

    private static float[] Run(Network network, float[] image)
    {
        var session = new InferenceSession(network);
        image.CopyTo(session.PrepareInput(Face));
        session.Run();
        return session.Output(0).ToArray();
    }

    [Fact]
    public void AQuantizedFileStoresInt8WeightsAndRunsBitIdenticallyToQuantizingAtLoad()
    {
        var fp32 = RandomNetworks.MobileFaceNetFile(MobileFaceNetConfig.FaceXNano, seed: 4);
        var plan = CalibratedPlan(fp32, 9);
        // The plan alone (metadata only, weights fp32): quantized when the network is built, as before version 2.
        var planOnly = new ModelFile(fp32.Family, fp32.Config, fp32.Tensors, new Dictionary<string, string> { [QuantizationPlan.MetadataKey] = plan.ToJson() });
        var stored = ModelFile.Load(SaveToFile(EmbedderQuantizer.WithPlan(fp32, plan), out var int8Bytes));
        SaveToFile(fp32, out var fp32Bytes);

        // Every quantized layer's weight is stored in int8, the kept-fp32 one is not.
        var int8Names = stored.QuantizedTensors.Select(t => t.Name).ToHashSet();
        Assert.Equal(plan.Inputs.Keys.Select(k => k + ".weight").Order(), int8Names.Order());
        Assert.DoesNotContain("embed.weight", int8Names);
        long quantizedParameters = stored.QuantizedTensors.Sum(t => (long)t.Codes.Length);
        Assert.True(int8Bytes.Length < fp32Bytes.Length - 2.5 * quantizedParameters,
            $"int8 file {int8Bytes.Length} B vs fp32 {fp32Bytes.Length} B with {quantizedParameters} quantized parameters");

        var image = RandomFloats(new Random(2), Face.Size);
        var fromCodes = Run(EmbedderQuantizer.BuildNetwork(stored, EmbedderPrecision.Int8), image);
        var atLoad = Run(EmbedderQuantizer.BuildNetwork(planOnly, EmbedderPrecision.Int8), image);
        Assert.Equal(atLoad, fromCodes);
        // The stored codes are exactly what quantizing the fp32 weight gives.
        foreach (var tensor in stored.QuantizedTensors)
        {
            // k×k kernels (the stem) are stored in the file's [cout, cin, k, k] order, quantized per output channel alike.
            int k = tensor.Codes.Length / tensor.Shape[0];
            var (codes, scales) = Int8GemmWeights.QuantizeWeights(fp32.Tensors.Single(t => t.Name == tensor.Name).Data, k, tensor.Shape[0]);
            Assert.Equal(codes, tensor.Codes);
            Assert.Equal(scales, tensor.Scales);
        }
        Assert.Contains(stored.QuantizedTensors, t => t.Shape.Length == 4 && t.Shape[2] == 3);
        Assert.Contains(stored.QuantizedTensors, t => t.Name == "blocks.0.dw.weight");
        // fp32 inference of the int8 file runs the dequantized weights and stays close to the original.
        var fp32Out = Run(EmbedderQuantizer.BuildNetwork(fp32, EmbedderPrecision.Fp32), image);
        var dequantOut = Run(EmbedderQuantizer.BuildNetwork(stored, EmbedderPrecision.Fp32), image);
        Assert.True(Cosine(fp32Out, dequantOut) > 0.99);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
