using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Import.TfLite;
using Faceprint.Tests.Reference;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.Import;

/// <summary>
/// The default package's anti-spoofing tree network translated op by op onto the engine (float16 weights
/// dequantised, leaky ReLUs fused into convs and dense layers, identity slices and casts dropped, the eight-way
/// concatenations split) against the naive interpreter of the original TFLite graph, on random input in the
/// model's [0, 1] range. Tolerance 1e-4·(1 + |expected|).
/// </summary>
public sealed class AntiSpoofingImportParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void EngineMatchesTfLiteGraph(int seed)
    {
        var model = TfLiteModel.Load(AntiSpoofingModels.Path);
        var network = TfLiteImporter.ImportGraph(AntiSpoofingModels.Path);
        var random = new Random(seed);
        var input = new float[256 * 256 * 3];
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.NextDouble();

        var expected = new TfLiteReferenceInterpreter(model).Run(input, [1, 256, 256, 3]);
        var session = new InferenceSession(network, threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(1, 256, 256, 3)));
        session.Run();

        Assert.Equal(2, network.Outputs.Count);
        for (int o = 0; o < 2; o++)
        {
            var actual = session.Output(o);
            Assert.Equal(8, actual.Length);
            double worst = 0;
            for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[o][i]) / (1 + Math.Abs(expected[o][i])));
            output.WriteLine($"output {o}: worst relative difference {worst:E2}");
            Assert.True(worst <= 1e-4, $"output {o}: worst relative difference {worst:E2}");
        }
        // The second output is the routing mask: exactly one leaf chosen.
        Assert.Equal(1f, expected[1].Sum());
        Assert.All(expected[1], v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void FileHoldsTheTreeOpsAndNoTransposeConv()
    {
        var model = TfLiteModel.Load(AntiSpoofingModels.Path);
        var ops = model.Operators.GroupBy(o => o.Op).ToDictionary(g => g.Key, g => g.Count());
        // Read off the file: the tree's routing is GREATER_EQUAL/LESS → CAST → MUL, its projections SUB + FULLY_CONNECTED.
        Assert.Equal(72, ops[TfLiteOp.Conv2D]);
        Assert.Equal(80, ops[TfLiteOp.LeakyRelu]);
        Assert.Equal(7, ops[TfLiteOp.AveragePool2D]);
        Assert.Equal(7, ops[TfLiteOp.StridedSlice]);
        Assert.Equal(14, ops[TfLiteOp.Cast]);
        Assert.Equal(12, ops[TfLiteOp.Mul]);
        Assert.DoesNotContain((TfLiteOp)67, ops.Keys);
        Assert.Equal([1, 256, 256, 3], model.Tensors[model.Inputs[0]].Shape);

        var network = TfLiteImporter.ImportGraph(AntiSpoofingModels.Path);
        // Every LEAKY_RELU right after a conv or dense layer is fused; those after a residual sum stay.
        Assert.Equal(14, network.Layers.OfType<LeakyReluLayer>().Count());
        Assert.Equal(14, network.Layers.OfType<CompareLayer>().Count());
        Assert.Equal(7, network.Layers.OfType<AveragePool2dLayer>().Count());
        var shapes = network.InferShapes(new TensorShape(1, 256, 256, 3));
        Assert.All(network.Outputs, o => Assert.Equal(new TensorShape(1, 1, 1, 8), shapes[o]));
    }
}
