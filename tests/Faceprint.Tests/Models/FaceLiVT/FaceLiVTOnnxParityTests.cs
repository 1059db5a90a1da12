using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Tests.Onnx;
using Xunit.Abstractions;

namespace Faceprint.Tests.Models.FaceLiVT;

/// <summary>FaceLiVT exported to ONNX and run by ONNX Runtime agrees with the engine within 1e-4 absolute.</summary>
public sealed class FaceLiVTOnnxParityTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData("facelivt-s-la", true, 1)]
    [InlineData("facelivt-s-la", true, 2)]
    [InlineData("facelivt-s-sa", true, 2)]
    [InlineData("facelivt-s-la", false, 1)]
    [InlineData("facelivt-s-sa", false, 1)]
    public void BuiltInConfigurationMatchesOnnxRuntime(string name, bool reparameterize, int batch)
    {
        var model = BuiltInModels.Find(name)!;
        var network = model.Build(RandomWeights.Create(model.Parameters, 31), reparameterize);
        var (diff, scale) = OnnxParity.Compare(network, batch, 112, 112, seed: 7 + batch);
        output.WriteLine($"{name} reparameterize={reparameterize} batch {batch}: max |engine − ORT| {diff:E2}, max |y| {scale:F3}");
        Assert.True(scale >= 0.05f, $"outputs too small ({scale}) for the tolerance to mean anything");
        Assert.True(diff <= Tolerance, $"max difference {diff:E2}");
    }

    [Fact]
    public void MixedSmallConfigurationMatchesOnnxRuntime()
    {
        var config = new FaceLiVTConfig
        {
            InputSize = 56, Dims = [16, 32, 48, 64], Depths = [1, 1, 1, 1],
            Mixers = [TokenMixer.RepMix, TokenMixer.Mhsa, TokenMixer.Mhla, TokenMixer.Mhsa], EmbeddingSize = 24,
        };
        var network = FaceLiVTDefinition.Build(config, RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 5));
        var (diff, scale) = OnnxParity.Compare(network, 3, 56, 56, seed: 3);
        output.WriteLine($"small mixed: max |engine − ORT| {diff:E2}, max |y| {scale:F3}");
        Assert.True(scale >= 0.05f && diff <= Tolerance, $"max difference {diff:E2}, scale {scale}");
    }
}
