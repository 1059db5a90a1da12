using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Import.TfJs;
using Faceprint.Models.Zoo;
using Faceprint.Tests.Reference;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.Import;

/// <summary>
/// Each zoo embedder translated onto the engine (BiasAdd/BatchNorm scales folded, PReLU spellings and ReLU6 fused,
/// Pad folded into conv padding) against the naive interpreter of the raw TF.js graph, on random input in the range
/// the graph sees in use. Error is measured relative to the output's scale: max |engine − reference| / max |reference|.
/// Needs the 145 MB zoo package, hence EndToEnd.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TfJsImportParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tfjs-mobilefacenet", -1f, 1f, 2)]
    [InlineData("mobileface", 0f, 255f, 2)]
    [InlineData("faceres", -128f, 128f, 1)]
    [InlineData("faceres-deep", -128f, 128f, 1)]
    public void EngineMatchesTfJsGraph(string name, float low, float high, int batch)
    {
        var zoo = ZooModels.Find(name)!;
        var model = TfJsModel.Load(HumanModels.PathOf(zoo.File));
        var network = TfJsImporter.ImportGraph(model, zoo.Output);
        int side = zoo.Crop.Size;
        var random = new Random(11);
        var input = new float[batch * side * side * 3];
        for (int i = 0; i < input.Length; i++) input[i] = low + (float)random.NextDouble() * (high - low);

        var expected = new TfJsReferenceInterpreter(model).Run(input, [batch, side, side, 3], zoo.Output);
        var session = new InferenceSession(network, threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(batch, side, side, 3)));
        session.Run();
        var actual = session.Output(0);

        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = expected.Max(v => Math.Abs(v));
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        output.WriteLine($"{name}: {network.Layers.Count} layers, {expected.Length / batch}-d, max |error| {worst:E2}, relative to max |output| {scale:F4}: {worst / scale:E2}");
        Assert.True(worst / scale <= 1e-4, $"{name}: relative error {worst / scale:E2}");
    }
}
