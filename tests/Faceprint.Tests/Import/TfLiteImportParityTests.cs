using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Import.TfLite;
using Faceprint.Models;
using Faceprint.Tests.Reference;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Import;

/// <summary>
/// Each imported network (converted, saved, reloaded, run by the engine) against a naive interpreter of the
/// original TFLite graph on random input. Tolerance 1e-4 absolute (fp32 summation order differs).
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class TfLiteImportParityTests
{
    [Theory]
    [InlineData("pnet", 1, 31, 27)]
    [InlineData("rnet", 3, 24, 24)]
    [InlineData("onet", 2, 48, 48)]
    [InlineData("mobilefacenet", 2, 112, 112)]
    public void EngineMatchesTfLiteGraph(string name, int batch, int height, int width)
    {
        var tflite = TfLiteModel.Load(Path.Combine(DefaultModelsFixture.TfLiteFolder, name == "mobilefacenet" ? "MobileFaceNet.tflite" : name + ".tflite"));
        var converted = name switch
        {
            "pnet" => DefaultModelsFixture.Paths.PNet,
            "rnet" => DefaultModelsFixture.Paths.RNet,
            "onet" => DefaultModelsFixture.Paths.ONet,
            _ => DefaultModelsFixture.Paths.Embedder,
        };
        var network = ModelFamilies.Build(ModelFile.Load(converted));
        var random = new Random(42);
        var input = new float[batch * height * width * 3];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);

        var expected = new TfLiteReferenceInterpreter(tflite).Run(input, [batch, height, width, 3]);
        var session = new InferenceSession(network, threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(batch, height, width, 3)));
        session.Run();

        Assert.Equal(expected.Length, network.Outputs.Count);
        // TFLite lists outputs in its own order; match each engine output to the reference output of equal size.
        for (int o = 0; o < network.Outputs.Count; o++)
        {
            var actual = session.Output(o).ToArray();
            var reference = expected.Single(e => e.Length == actual.Length);
            float maxDiff = actual.Zip(reference, (a, b) => MathF.Abs(a - b)).Max();
            Assert.True(maxDiff <= 1e-4f, $"{name} output {o}: max abs diff {maxDiff}");
        }
    }
}
