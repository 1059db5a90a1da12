using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.Vit;
using Faceprint.Tests.Reference;
using Xunit.Abstractions;
using static Faceprint.Tests.Models.ModelTestSupport;

namespace Faceprint.Tests.Models.Vit;

public sealed class VitDefinitionTests(ITestOutputHelper output)
{
    /// <summary>56² input with patch 9: a 6×6 grid that leaves 2 pixels unused, as 112/9 leaves 4.</summary>
    private static readonly VitConfig Small = new() { InputSize = 56, EmbedDim = 32, Depth = 2, Heads = 4, EmbeddingSize = 24 };

    [Theory]
    [InlineData("vit-t", 256, 12)]
    [InlineData("vit-s", 512, 12)]
    [InlineData("vit-b", 512, 24)]
    [InlineData("vit-l", 768, 24)]
    public void ParameterCountsAreWhatTheConfigsImply(string name, int d, int depth)
    {
        const long tokens = 144, embedding = 512;
        long block = 2 * 2 * d + 3L * d * d + (d * d + d) + (4L * d * d + 4 * d) + (4L * d * d + d);
        long expected = 3L * 81 * d + d + tokens * d + d + depth * block + 2 * d + tokens * d * d + 2 * d + embedding * d + 2 * embedding;
        long count = BuiltInModels.Find(name)!.TrainableParameters;
        output.WriteLine($"{name}: {count:N0} trainable ({count / 1e6:F2} M; the feature head's Linear(144·D, D) alone is {tokens * d * d / 1e6:F2} M)");
        Assert.Equal(expected, count);
    }

    [Fact]
    public void ParameterNamesAndShapesFollowTheReferenceCode()
    {
        var s = VitDefinition.Parameters(VitConfig.Tiny).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([1, 144, 256], s["pos_embed"]);
        Assert.Equal([1, 1, 256], s["mask_token"]);
        Assert.Equal([256, 3, 9, 9], s["patch_embed.proj.weight"]);
        Assert.Equal([768, 256], s["blocks.11.attn.qkv.weight"]);
        Assert.False(s.ContainsKey("blocks.0.attn.qkv.bias"));
        Assert.Equal([256], s["blocks.0.attn.proj.bias"]);
        Assert.Equal([1024, 256], s["blocks.3.mlp.fc1.weight"]);
        Assert.Equal([256, 1024], s["blocks.3.mlp.fc2.weight"]);
        Assert.Equal([256], s["blocks.3.norm2.bias"]);
        Assert.Equal([256], s["norm.weight"]);
        Assert.Equal([256, 144 * 256], s["feature.0.weight"]);
        Assert.False(s.ContainsKey("feature.0.bias"));
        Assert.Equal([256], s["feature.1.running_var"]);
        Assert.Equal([512, 256], s["feature.2.weight"]);
        Assert.Equal([512], s["feature.3.running_mean"]);
    }

    [Fact]
    public void EngineMatchesThePlainLoopReferenceInBothForms()
    {
        var weights = RandomWeights.Create(VitDefinition.Parameters(Small), 4);
        const int batch = 2;
        var images = RandomImages(batch, Small.InputSize, 8);
        var expected = new float[batch * Small.EmbeddingSize];
        for (int b = 0; b < batch; b++)
            Array.Copy(VitReference.Forward(Small, weights, Image(images, b, Small.InputSize)).Select(v => (float)v).ToArray(), 0,
                expected, b * Small.EmbeddingSize, Small.EmbeddingSize);
        foreach (bool reparameterize in new[] { false, true })
        {
            var actual = Run(VitDefinition.Build(Small, weights, reparameterize), images, batch, Small.InputSize, threads: 2);
            double error = MaxRelativeError(actual, expected);
            output.WriteLine($"reparameterize={reparameterize}: max rel error {error:E2} (|y| up to {expected.Max(Math.Abs):F2})");
            Assert.True(error <= Tolerance, $"error {error:E2}");
        }
    }

    [Fact]
    public void ReparameterizedGraphAgreesWithTrainFormForVitT()
    {
        var model = BuiltInModels.Find("vit-t")!;
        var weights = RandomWeights.Create(model.Parameters, 3);
        var images = RandomImages(2, 112, 1);
        var train = Run(model.Build(weights, reparameterize: false), images, 2, 112, threads: 2);
        var deploy = Run(model.Build(weights), images, 2, 112, threads: 2);
        double error = MaxRelativeError(deploy, train);
        output.WriteLine($"vit-t: max rel error {error:E2}, |y| up to {train.Max(Math.Abs):F2}");
        Assert.True(error <= Tolerance, $"error {error:E2}");
    }

    [Fact]
    public void DeployFormFoldsEveryNormAffine()
    {
        var model = BuiltInModels.Find("vit-t")!;
        long deploy = model.Build(RandomWeights.Create(model.Parameters, 2)).Layers.Sum(l => l.ParameterCount);
        const long d = 256, depth = 12;
        // Per block: LN1/LN2 affines (4D) go, qkv gains a bias (3D); the final LN (2D), both BN affines (2D + 2·512)
        // and the mask token (D) go, feature.0 and feature.2 gain biases (D + 512).
        long expected = model.TrainableParameters - depth * d - 2 * d - (2 * d + 2 * 512) - d + (d + 512);
        output.WriteLine($"vit-t: train {model.TrainableParameters:N0}, deploy {deploy:N0}");
        Assert.Equal(expected, deploy);
    }

    [Fact]
    public void FeatureBatchNormsFoldAwayAtLoad()
    {
        var weights = RandomWeights.Create(VitDefinition.Parameters(Small), 5);
        var file = new ModelFile(VitDefinition.Family, ModelFamilies.ToJson(Small), [.. weights.Tensors]);
        Assert.Equal(2, ModelFamilies.Build(file, reparameterize: false).Layers.Count(l => l is Faceprint.Core.Graph.BatchNormLayer));
        Assert.DoesNotContain(ModelFamilies.Build(file).Layers, l => l is Faceprint.Core.Graph.BatchNormLayer);
    }
}
