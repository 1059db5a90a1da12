using Faceprint.Alignment;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Export.Onnx;
using Faceprint.Models;
using Faceprint.OnnxRuntime;
using Faceprint.Recognition;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>The default model's int8 form: converted with the fp32 one from the recorded plan, loaded by --precision int8 with its own threshold.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class DefaultInt8ModelTests
{
    private static readonly string[] Photos = ["face0.jpg", "img1.jpeg", "img2.jpeg", "img3.jpeg", "img47.jpg"];
    private readonly DefaultModelsFixture _models;

    public DefaultInt8ModelTests(DefaultModelsFixture models) => _models = models;

    private List<RgbImage> AlignedFaces()
    {
        var faces = new List<RgbImage>();
        foreach (var name in Photos)
        {
            var image = _models.Engine.LoadImageAsync(TestImages.DataPath(name)).GetAwaiter().GetResult();
            var detected = _models.Engine.Detect(image);
            if (detected.Count > 0) faces.Add(_models.Engine.Align(image, FaceEngine.MostProminent(detected, image)));
        }
        return faces;
    }

    [Fact]
    public void TheRecordedPlanCoversEveryQuantizableLayerOfTheDefaultNetwork()
    {
        var network = ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.Embedder));
        var quantizable = network.Optimized.Layers.Where(NetworkQuantizer.CanQuantize).Select(l => l.Name).Order().ToList();
        Assert.NotEmpty(quantizable);
        // Since plan q4 the 3×3 stem runs in int8 too (the few-channel kernel pays where the gathering one did not): nothing is kept.
        Assert.Empty(DefaultEmbedderQuantization.Plan.KeepFp32);
        Assert.Contains("stem", DefaultEmbedderQuantization.Plan.Inputs.Keys);
        Assert.Equal(quantizable, DefaultEmbedderQuantization.Plan.Inputs.Keys.Concat(DefaultEmbedderQuantization.Plan.ChannelInputs.Keys)
            .Concat(DefaultEmbedderQuantization.Plan.KeepFp32).Order());
        // The stem's depthwise conv and the GDConv run in int8 on per-channel inputs (per tensor they cost the most accuracy).
        Assert.Equal(["gdconv", "stem_dw"], DefaultEmbedderQuantization.Plan.ChannelInputs.Keys.Order());
        _ = DefaultEmbedderQuantization.Plan.Apply(network);
    }

    [Fact]
    public void TheRecordedRangesMatchWhatTheCalibratorSeesOnTheTestPhotos()
    {
        // The test photos are among the fixtures the plan was calibrated on (mean-minmax: the mean over faces of each
        // face's extremes), so each layer's range on them, by the same method, must lie close to the recorded one; a
        // changed network or importer breaks this.
        var file = ModelFile.Load(DefaultModelsFixture.Paths.Embedder);
        var faces = AlignedFaces();
        Assert.True(faces.Count >= 4, $"{faces.Count} faces found");
        var plan = DefaultEmbedderQuantization.Plan;
        var fresh = EmbedderQuantizer.Calibrate(file, faces, plan.Method, plan.KeepFp32.ToArray(), plan.ChannelInputs.Keys.ToArray());
        Assert.Equal(fresh.Inputs.Keys.Order(), plan.Inputs.Keys.Order());
        foreach (var (layer, q) in fresh.Inputs)
        {
            var recorded = plan.Inputs[layer];
            float width = 255 * recorded.Scale, slack = 0.25f * width;
            float recordedMin = -recorded.ZeroPoint * recorded.Scale, recordedMax = (255 - recorded.ZeroPoint) * recorded.Scale;
            float min = -q.ZeroPoint * q.Scale, max = (255 - q.ZeroPoint) * q.Scale;
            Assert.True(Math.Abs(min - recordedMin) <= slack && Math.Abs(max - recordedMax) <= slack,
                $"{layer}: test photos span [{min}, {max}], recorded plan [{recordedMin}, {recordedMax}]");
        }
        // Per-channel ranges are each channel's extremes over all calibration faces, so the test photos' lie inside them.
        Assert.Equal(fresh.ChannelInputs.Keys.Order(), plan.ChannelInputs.Keys.Order());
        foreach (var (layer, channels) in fresh.ChannelInputs)
            for (int c = 0; c < channels.Count; c++)
            {
                var (q, recorded) = (channels[c], plan.ChannelInputs[layer][c]);
                float step = recorded.Scale;
                Assert.True(-q.ZeroPoint * q.Scale >= -recorded.ZeroPoint * recorded.Scale - step && (255 - q.ZeroPoint) * q.Scale <= (255 - recorded.ZeroPoint) * recorded.Scale + step,
                    $"{layer} channel {c}: test photos {q}, recorded {recorded}");
            }
    }

    [Fact]
    public void TheDefaultModelsIncludeTheInt8FileWithInt8Weights()
    {
        var paths = DefaultModelsFixture.Paths;
        Assert.NotNull(paths.Int8Embedder);
        var int8 = ModelFile.Load(paths.Int8Embedder);
        var plan = QuantizationPlan.FromModelFile(int8);
        Assert.NotNull(plan);
        Assert.Equal(DefaultEmbedderQuantization.Plan.Inputs.OrderBy(kv => kv.Key), plan.Inputs.OrderBy(kv => kv.Key));
        foreach (var (layer, channels) in DefaultEmbedderQuantization.Plan.ChannelInputs) Assert.Equal(channels, plan.ChannelInputs[layer]);
        Assert.Equal(plan.Inputs.Keys.Concat(plan.ChannelInputs.Keys).Select(k => k + ".weight").Order(), int8.QuantizedTensors.Select(t => t.Name).Order());
        long fp32Bytes = new FileInfo(paths.Embedder).Length, int8Bytes = new FileInfo(paths.Int8Embedder).Length;
        Assert.True(int8Bytes < fp32Bytes * 0.4, $"int8 file {int8Bytes} B, fp32 {fp32Bytes} B");
    }

    [Fact]
    public void AnInt8EngineOnTheDefaultModelUsesTheInt8FileAndThreshold()
    {
        var options = new FaceEngineOptions { Threads = 2, Precision = EmbedderPrecision.Int8 };
        using var int8 = FaceEngine.Load(DefaultModelsFixture.Paths, DefaultModels.EmbedderId, DefaultModels.ThresholdFor(EmbedderPrecision.Int8), options);
        Assert.Same(DefaultEmbedderQuantization.Calibration, int8.Calibration);
        Assert.Equal(DefaultEmbedderQuantization.Calibration.Threshold, int8.Threshold);
        Assert.Same(DefaultModels.EmbedderCalibration, _models.Engine.Calibration);
        var face = AlignedFaces()[0];
        var a = _models.Engine.EmbedAligned([face])[0];
        var b = int8.EmbedAligned([face])[0];
        Assert.InRange(Embedding.Cosine(a, b), 0.99, 1.0);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void OnnxRuntimeOnTheQdqExportOfTheDefaultInt8NetworkFollowsTheEngineOnRealFaces()
    {
        // The int8 peer of the bench, on the shipped plan and real aligned faces rather than a random network: ORT runs
        // the same codes (QuantizeLinear at each int8 input, dequantized int8 weights), so it is an independent reference
        // for the engine's int8 kernels, u8 tensors between layers included.
        var file = ModelFile.Load(DefaultModelsFixture.Paths.Int8Embedder!);
        var network = EmbedderQuantizer.BuildNetwork(file, EmbedderPrecision.Int8);
        var faces = AlignedFaces();
        var shape = new TensorShape(faces.Count, FaceAligner.Size, FaceAligner.Size, 3);
        var input = new float[shape.Size];
        int perImage = shape.PerImage;
        for (int i = 0; i < faces.Count; i++)
            FaceEmbedder.ToInput(faces[i], ModelFamilies.EmbedderInput(file.Family), input.AsSpan(i * perImage, perImage));
        var session = new InferenceSession(network);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        using var ort = new OrtModelRunner(new OnnxExporter().Export(network, FaceAligner.Size, FaceAligner.Size), threads: 1);
        input.CopyTo(ort.PrepareInput(shape));
        ort.Run();
        int d = session.OutputShape(0).PerImage;
        for (int i = 0; i < faces.Count; i++)
        {
            double cosine = Embedding.Cosine(session.Output(0).Slice(i * d, d), ort.Output(0).Slice(i * d, d));
            Assert.True(cosine > 0.99, $"face {i}: engine int8 vs ORT QDQ cosine {cosine:F5}");
        }
    }
}
