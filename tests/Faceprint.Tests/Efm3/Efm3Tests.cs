using System.Buffers.Binary;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Efm3;

public sealed class Efm3Tests
{
    /// <summary>Engine vs the plain-loop train-form reference: fp32 kernels vs double loops over ~50 layers.</summary>
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> FaceXSizes => ["nano", "tiny", "standard", "xs"];

    internal static MobileFaceNetConfig FaceX(string size) => size switch
    {
        "nano" => MobileFaceNetConfig.FaceXNano,
        "tiny" => MobileFaceNetConfig.FaceXTiny,
        "standard" => MobileFaceNetConfig.FaceXStandard,
        "xs" => MobileFaceNetConfig.FaceXXs,
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    [Theory]
    [MemberData(nameof(FaceXSizes))]
    public void EveryFaceXSizeHas283TensorsAndThePublishedParameterCount(string size)
    {
        var model = Efm3Model.Random(FaceX(size), seed: 1);
        byte[] bytes = Efm3Writer.ToBytes(model);

        uint jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(88));
        Assert.Equal(283u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(92 + (int)jsonLength)));
        // FaceX quotes 0.20/0.45/0.97/2.08 M parameters (conv kernels, PReLU and BN affine); allow its rounding.
        double published = size switch { "nano" => 0.20, "tiny" => 0.45, "standard" => 0.97, _ => 2.08 };
        long parameters = model.Convs.Sum(c => (long)c.Weight.Length + (c.Slope?.Length ?? 0));
        Assert.InRange(parameters / 1e6, published * 0.93, published * 1.07);
    }

    [Theory]
    [MemberData(nameof(FaceXSizes))]
    public void WriteThenReadGivesTheSameModelAndTheSameBytes(string size)
    {
        var model = Efm3Model.Random(FaceX(size), seed: 2);
        byte[] bytes = Efm3Writer.ToBytes(model);

        var read = Efm3Reader.Parse(bytes);

        Assert.Equal(model.Config, read.Config with { Stages = model.Config.Stages });
        Assert.Equal(model.Config.Stages, read.Config.Stages);
        Assert.Equal(model.Convs.Count, read.Convs.Count);
        for (int i = 0; i < model.Convs.Count; i++)
        {
            Assert.Equal(model.Convs[i].Spec, read.Convs[i].Spec);
            Assert.Equal(model.Convs[i].FileTensors().SelectMany(t => t), read.Convs[i].FileTensors().SelectMany(t => t));
        }
        Assert.Equal(bytes, Efm3Writer.ToBytes(read));
    }

    [Fact]
    public void HeaderDescribesTheFaceXTinyArchitecture()
    {
        byte[] bytes = Efm3Writer.ToBytes(Efm3Model.Random(MobileFaceNetConfig.FaceXTiny, seed: 3));

        Assert.Equal("EFM3"u8.ToArray(), bytes[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal([1, 5, 3, 2], bytes[8..12]);
        // width 0.55: stem/stage-1 round(64·0.55/8)·8 = 32, later round(128·0.55/8)·8 = 72, final 280, 512-d.
        Assert.Equal([32, 72, 280, 512], Enumerable.Range(0, 4).Select(i => (int)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12 + 2 * i))));
        Assert.Equal(7, bytes[20]);
        Assert.Equal([2, 5, 2, 0, 0, 0, 0, 0, 4, 1, 2, 0, 0, 0, 0, 0, 2, 6, 1, 0, 0, 0, 0, 0, 4, 1, 2, 0, 0, 0, 0, 0, 2, 2, 1, 0, 0, 0, 0, 0], bytes[24..64]);
        Assert.All(bytes[64..88], b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(FaceXSizes))]
    public void EngineOnEfm3WeightsMatchesTheUnfoldedReference(string size)
    {
        var model = Efm3Reader.Parse(Efm3Writer.ToBytes(Efm3Model.Random(FaceX(size), seed: 4)));
        const int batch = 2;
        var input = RandomInput(batch, seed: 5);

        var expected = Efm3ReferenceNet.Run(model, input, batch);
        var session = new InferenceSession(model.Build(), threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(batch, 112, 112, 3)));
        session.Run();
        var actual = session.Output(0).ToArray();

        Assert.Equal(new TensorShape(batch, 1, 1, model.Config.EmbeddingSize), session.OutputShape(0));
        float scale = expected.SelectMany(e => e).Max(MathF.Abs);
        Assert.InRange(scale, 0.1f, 100f); // the random weights keep activations of order one, so 1e-4 is meaningful
        float worst = 0;
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < model.Config.EmbeddingSize; i++)
                worst = MathF.Max(worst, MathF.Abs(expected[n][i] - actual[n * model.Config.EmbeddingSize + i]));
        Assert.True(worst <= Tolerance, $"max |engine − reference| = {worst:E3} > {Tolerance:E0} (outputs up to {scale:F3})");
    }

    [Fact]
    public void ConvertedModelFileRebuildsTheSameNetwork()
    {
        var model = Efm3Model.Random(MobileFaceNetConfig.FaceXNano, seed: 6);
        using var temp = new TempDirectory();
        string efm3 = Path.Combine(temp.Path, "nano.efm3"), fpm = Path.Combine(temp.Path, "nano.fpm");
        Efm3Writer.Save(model, efm3);

        Efm3Reader.Read(efm3).ToModelFile(new Dictionary<string, string> { ["source"] = efm3 }).Save(fpm);
        var file = ModelFile.Load(fpm);

        Assert.Equal(MobileFaceNetDefinition.Family, file.Family);
        var input = RandomInput(1, seed: 7);
        Assert.Equal(Embed(model.Build(), input), Embed(ModelFamilies.Build(file), input));
    }

    [Fact]
    public void FoldingAppliesGammaOverSqrtVarPlusEpsilon()
    {
        var spec = new Efm3ConvSpec("embed", 2, 1, 1, false);
        var conv = new Efm3Conv(spec, [2f, -1f], [3f, 0.5f], [0.25f, -1f], [1f, 4f], [0.99999f, 3.99999f], null);

        var (weight, bias) = conv.Fold();

        // var + 1e-5 = 1 and 4: scales 3 and 0.25.
        Assert.Equal([6f, -0.25f], weight, (a, b) => MathF.Abs(a - b) < 1e-5f);
        Assert.Equal([0.25f - 3f, -1f - 1f], bias, (a, b) => MathF.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void WriterRefusesConfigsEfm3CannotDescribe()
    {
        var e = Assert.Throws<ArgumentException>(() => Efm3Header.FromConfig(MobileFaceNetConfig.ExpoTfLite));
        Assert.Contains("extra 1x1", e.Message);
        Assert.Contains("SAME", e.Message);
    }

    internal static float[] RandomInput(int batch, int seed)
    {
        var random = new Random(seed);
        var input = new float[batch * 112 * 112 * 3];
        for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
        return input;
    }

    private static float[] Embed(Network network, float[] input)
    {
        var session = new InferenceSession(network);
        input.CopyTo(session.PrepareInput(new TensorShape(input.Length / (112 * 112 * 3), 112, 112, 3)));
        session.Run();
        return session.Output(0).ToArray();
    }
}
