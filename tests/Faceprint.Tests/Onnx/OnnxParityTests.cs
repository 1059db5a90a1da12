using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Tests.Efm3;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Onnx;

/// <summary>
/// Every model the engine runs, exported to ONNX and run by ONNX Runtime on the same weights and input: the
/// engine's outputs (embeddings, MTCNN maps and heads) agree within 1e-4 absolute.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class OnnxParityTests
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DefaultMobileFaceNetMatchesOnnxRuntime(int batch) =>
        AssertParity(ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.Embedder)), batch, 112, 112, minScale: 0.1f);

    [Theory]
    [InlineData("nano", 1)]
    [InlineData("nano", 4)]
    [InlineData("tiny", 1)]
    [InlineData("tiny", 2)]
    [InlineData("standard", 1)]
    [InlineData("standard", 2)]
    [InlineData("xs", 1)]
    [InlineData("xs", 2)]
    public void FaceXMatchesOnnxRuntime(string size, int batch) =>
        AssertParity(Efm3Model.Random(Efm3Tests.FaceX(size), seed: 21).Build(), batch, 112, 112, minScale: 0.1f);

    [Theory]
    [InlineData(1, 12, 12)]
    [InlineData(2, 37, 53)] // odd sides: the SAME pool pads one pixel after, asymmetrically
    [InlineData(1, 120, 90)]
    public void PNetMatchesOnnxRuntime(int batch, int height, int width) =>
        AssertParity(ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.PNet)), batch, height, width, minScale: 0.5f);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void RNetMatchesOnnxRuntime(int batch) =>
        AssertParity(ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.RNet)), batch, 24, 24, minScale: 0.5f);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ONetMatchesOnnxRuntime(int batch) =>
        AssertParity(ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.ONet)), batch, 48, 48, minScale: 0.5f);

    private static void AssertParity(Network network, int batch, int height, int width, float minScale)
    {
        var (diff, scale) = OnnxParity.Compare(network, batch, height, width, seed: 100 + batch);

        Assert.True(scale >= minScale, $"outputs too small ({scale}) for the tolerance to mean anything");
        Assert.True(diff <= Tolerance, $"{network.Name} batch {batch} {height}x{width}: max |engine − ORT| = {diff:E3} > {Tolerance:E0} (outputs up to {scale:F3})");
    }
}
