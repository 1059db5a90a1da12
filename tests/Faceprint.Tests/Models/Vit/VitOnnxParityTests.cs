using Faceprint.Models;
using Faceprint.Models.Vit;
using Faceprint.Tests.Onnx;
using Xunit.Abstractions;

namespace Faceprint.Tests.Models.Vit;

/// <summary>The ViT exported to ONNX and run by ONNX Runtime agrees with the engine within 1e-4 absolute.</summary>
public sealed class VitOnnxParityTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public void VitTMatchesOnnxRuntime(bool reparameterize, int batch)
    {
        var model = BuiltInModels.Find("vit-t")!;
        var network = model.Build(RandomWeights.Create(model.Parameters, 17), reparameterize);
        var (diff, scale) = OnnxParity.Compare(network, batch, 112, 112, seed: 11 + batch);
        output.WriteLine($"vit-t reparameterize={reparameterize} batch {batch}: max |engine − ORT| {diff:E2}, max |y| {scale:F3}");
        Assert.True(scale >= 0.05f, $"outputs too small ({scale}) for the tolerance to mean anything");
        Assert.True(diff <= Tolerance, $"max difference {diff:E2}");
    }

    [Fact]
    public void SmallConfigurationWithUnusedBorderMatchesOnnxRuntime()
    {
        var config = new VitConfig { InputSize = 58, EmbedDim = 48, Depth = 2, Heads = 6, EmbeddingSize = 20 };
        var network = VitDefinition.Build(config, RandomWeights.Create(VitDefinition.Parameters(config), 9));
        var (diff, scale) = OnnxParity.Compare(network, 2, 58, 58, seed: 4);
        output.WriteLine($"small: max |engine − ORT| {diff:E2}, max |y| {scale:F3}");
        Assert.True(scale >= 0.05f && diff <= Tolerance, $"max difference {diff:E2}, scale {scale}");
    }
}
