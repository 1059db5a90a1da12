using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection;
using Faceprint.Import.TfLite;
using Faceprint.Tests.Reference;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Import;

/// <summary>
/// BlazeFace translated op by op onto the engine (float16 weights dequantised, ReLUs fused, residuals fused by the
/// optimiser) against the naive interpreter of the original TFLite graph, on random input in the model's [−1, 1] range.
/// Tolerance 1e-4·(1 + |expected|): fp32 summation order differs over about 50 layers.
/// </summary>
public sealed class BlazeFaceImportParityTests
{
    [Theory]
    [InlineData(BlazeFaceModel.ShortRange, 128, 1)]
    [InlineData(BlazeFaceModel.ShortRange, 128, 2)]
    [InlineData(BlazeFaceModel.FullRange, 192, 1)]
    public void EngineMatchesTfLiteGraph(BlazeFaceModel model, int side, int batch)
    {
        string path = BlazeFaceModels.PathOf(model);
        var network = TfLiteImporter.ImportGraph(path);
        var random = new Random(7);
        var input = new float[batch * side * side * 3];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);

        var expected = new TfLiteReferenceInterpreter(TfLiteModel.Load(path)).Run(input, [batch, side, side, 3]);
        var session = new InferenceSession(network, threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(batch, side, side, 3)));
        session.Run();

        Assert.Equal(2, network.Outputs.Count);
        for (int o = 0; o < 2; o++)
        {
            var actual = session.Output(o);
            Assert.Equal(expected[o].Length, actual.Length);
            double worst = 0;
            for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[o][i]) / (1 + Math.Abs(expected[o][i])));
            Assert.True(worst <= 1e-4, $"{model} output {o}: worst relative difference {worst:E2}");
        }
    }

    [Fact]
    public void OutputsAreTheAnchorRows()
    {
        var network = TfLiteImporter.ImportGraph(BlazeFaceModels.Paths.ShortRange);
        var shapes = network.InferShapes(new TensorShape(1, 128, 128, 3));
        Assert.Equal(new TensorShape(1, 1, 896, 16), shapes[network.Outputs[0]]);
        Assert.Equal(new TensorShape(1, 1, 896, 1), shapes[network.Outputs[1]]);
        // The full-range model upsamples three times (RESIZE_BILINEAR) and pads shortcut channels (PAD).
        var full = TfLiteImporter.ImportGraph(BlazeFaceModels.Paths.FullRange);
        Assert.Equal(3, full.Layers.OfType<ResizeBilinearLayer>().Count());
        Assert.Equal(8, full.Layers.OfType<PadChannelsLayer>().Count());
        Assert.Equal(new TensorShape(1, 1, 2304, 16), full.InferShapes(new TensorShape(1, 192, 192, 3))[full.Outputs[0]]);
    }

    [Fact]
    public void OperatorsWithoutATranslationAreRefusedByName()
    {
        // MTCNN's P-Net spells PReLU as NEG/RELU/MUL ops, which the graph translator does not take (its family definition does).
        var e = Assert.Throws<ModelFormatException>(() => TfLiteImporter.ImportGraph(Path.Combine(DefaultModelsFixture.TfLiteFolder, "pnet.tflite")));
        Assert.Contains("is not supported", e.Message);
    }
}
