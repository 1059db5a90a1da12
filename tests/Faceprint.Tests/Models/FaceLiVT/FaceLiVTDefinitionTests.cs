using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Tests.Reference;
using Xunit.Abstractions;
using static Faceprint.Tests.Models.ModelTestSupport;

namespace Faceprint.Tests.Models.FaceLiVT;

public sealed class FaceLiVTDefinitionTests(ITestOutputHelper output)
{
    /// <summary>Small enough for the plain-loop reference: 56² input → stages at 14, 7, 4, 2; every mixer present.</summary>
    private static FaceLiVTConfig Small(TokenMixer late) => new()
    {
        InputSize = 56,
        Dims = [16, 32, 48, 64],
        Depths = [1, 2, 1, 1],
        Mixers = [TokenMixer.RepMix, late, late, TokenMixer.Mhla],
        EmbeddingSize = 24,
    };

    [Theory]
    [InlineData("facelivt-s-la", 5.05e6)]
    [InlineData("facelivt-m-la", 9.75e6)]
    public void TrainTimeParameterCountsMatchThePaperWithinOnePercent(string name, double paper)
    {
        long count = BuiltInModels.Find(name)!.TrainableParameters;
        output.WriteLine($"{name}: {count:N0} trainable (paper {paper:N0}, {100.0 * (count - paper) / paper:+0.00;-0.00}%)");
        Assert.InRange(count, paper * 0.99, paper * 1.01);
    }

    [Fact]
    public void DeployFormHoldsFewerParametersThanTrainForm()
    {
        foreach (var name in new[] { "facelivt-s-la", "facelivt-s-sa", "facelivt-m-la", "facelivt-m-sa" })
        {
            var model = BuiltInModels.Find(name)!;
            var weights = RandomWeights.Create(model.Parameters, 1);
            long deploy = model.Build(weights).Layers.Sum(l => l.ParameterCount);
            output.WriteLine($"{name}: train {model.TrainableParameters:N0}, deploy {deploy:N0}");
            // Folding removes every BN affine and the RepConv 1×1 branches; composing each PatchMerging's projection
            // (from → to) into its FFN expansion (to → 2·to) shrinks that expansion to 2·to × from; nothing else changes size.
            long bn = model.Parameters.Where(p => p.Name.EndsWith(".running_mean", StringComparison.Ordinal)).Sum(p => 2L * p.Shape[0]);
            long branches = model.Parameters.Where(p => p.Name.Contains(".repconv.", StringComparison.Ordinal)).Sum(p => NamedTensor.Count(p.Shape));
            long convBiases = model.Parameters.Where(p => p.Name.EndsWith(".c.weight", StringComparison.Ordinal)).Sum(p => (long)p.Shape[0]);
            long composed = model.Parameters.Where(p => p.Name.EndsWith(".spatial.1.c.weight", StringComparison.Ordinal))
                .Sum(p => 2L * p.Shape[0] * (p.Shape[0] - p.Shape[1]));
            Assert.Equal(model.TrainableParameters - bn - branches + convBiases - composed, deploy);
        }
    }

    [Fact]
    public void ParameterNamesAndShapesFollowTheReferenceCode()
    {
        var s = FaceLiVTDefinition.Parameters(FaceLiVTConfig.Create(FaceLiVTConfig.SmallDims, TokenMixer.Mhla)).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([20, 3, 3, 3], s["patch_embedds.0.stem.0.0.conv.weight"]);
        Assert.Equal([20, 3, 1, 1], s["patch_embedds.0.stem.0.0.repconv.weight"]);
        Assert.Equal([40, 20, 3, 3], s["patch_embedds.0.stem.1.0.conv.weight"]);
        Assert.Equal([40], s["patch_embedds.0.stem.1.0.bn.running_var"]);
        Assert.Equal([40, 1, 3, 3], s["patch_embedds.1.spatial.0.conv.weight"]);
        Assert.Equal([80, 40, 1, 1], s["patch_embedds.1.spatial.1.c.weight"]);
        Assert.Equal([160, 80, 1, 1], s["patch_embedds.1.channel.m.pw1.c.weight"]);
        Assert.Equal([40, 1, 1, 1], s["stages.0.blocks.1.block.0.m.repconv.weight"]);
        Assert.Equal([120, 40, 1, 1], s["stages.0.blocks.1.block.1.m.pw1.c.weight"]);
        Assert.Equal([160], s["stages.2.blocks.0.block.0.m.norm.weight"]);
        Assert.Equal([196, 49], s["stages.2.blocks.0.block.0.m.linear1.3.weight"]);
        Assert.Equal([49, 196], s["stages.2.blocks.5.block.0.m.linear2.15.weight"]);
        Assert.Equal([64, 16], s["stages.3.blocks.1.block.0.m.linear1.0.weight"]);
        Assert.Equal([320], s["head.classifier.bn.weight"]);
        Assert.Equal([512, 320], s["head.classifier.l.weight"]);
        Assert.DoesNotContain(s.Keys, k => k.Contains("num_batches_tracked", StringComparison.Ordinal));

        var sa = FaceLiVTDefinition.Parameters(FaceLiVTConfig.Create(FaceLiVTConfig.SmallDims, TokenMixer.Mhsa)).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([6 * (32 + 32 + 80), 160, 1, 1], sa["stages.2.blocks.0.block.0.m.qkv_proj.c.weight"]);
        Assert.Equal([160, 6 * 80, 1, 1], sa["stages.2.blocks.0.block.0.m.out_proj.c.weight"]);
        Assert.Equal([6 * (64 + 160)], sa["stages.3.blocks.0.block.0.m.qkv_proj.bn.running_mean"]);
    }

    [Fact]
    public void StageResolutionsAre28_14_7_4()
    {
        Assert.Equal([28, 14, 7, 4], FaceLiVTConfig.Create(FaceLiVTConfig.SmallDims, TokenMixer.Mhla).StageResolutions());
    }

    [Theory]
    [InlineData(TokenMixer.Mhla)]
    [InlineData(TokenMixer.Mhsa)]
    public void EngineMatchesThePlainLoopReferenceInBothForms(TokenMixer late)
    {
        var config = Small(late);
        var weights = RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 7);
        const int batch = 2;
        var images = RandomImages(batch, config.InputSize, 3);
        var expected = new float[batch * config.EmbeddingSize];
        for (int b = 0; b < batch; b++)
            Array.Copy(FaceLiVTReference.Forward(config, weights, Image(images, b, config.InputSize)).Select(v => (float)v).ToArray(), 0,
                expected, b * config.EmbeddingSize, config.EmbeddingSize);
        foreach (bool reparameterize in new[] { false, true })
        {
            var actual = Run(FaceLiVTDefinition.Build(config, weights, reparameterize), images, batch, config.InputSize);
            double error = MaxRelativeError(actual, expected);
            output.WriteLine($"{late} reparameterize={reparameterize}: max rel error {error:E2} (|y| up to {expected.Max(Math.Abs):F2})");
            Assert.True(error <= Tolerance, $"error {error:E2}");
        }
    }

    [Theory]
    [InlineData("facelivt-s-la")]
    [InlineData("facelivt-s-sa")]
    public void ReparameterizedGraphAgreesWithTrainFormAtFullSize(string name)
    {
        var model = BuiltInModels.Find(name)!;
        var weights = RandomWeights.Create(model.Parameters, 11);
        var images = RandomImages(2, 112, 5);
        var train = Run(model.Build(weights, reparameterize: false), images, 2, 112);
        var deploy = Run(model.Build(weights, reparameterize: true), images, 2, 112, threads: 2);
        double error = MaxRelativeError(deploy, train);
        output.WriteLine($"{name}: max rel error {error:E2}");
        Assert.True(error <= Tolerance, $"error {error:E2}");
    }

    [Fact]
    public void DeployFormComposesPatchMergingExpansionAndPoolsBeforeTheLastProjection()
    {
        var config = Small(TokenMixer.Mhsa);
        var weights = RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 3);
        var deploy = FaceLiVTDefinition.Build(config, weights);
        var layers = deploy.Layers.ToDictionary(l => l.Name);
        for (int s = 1; s < config.Dims.Count; s++)
        {
            // The expansion reads the depthwise output (the projection's input), not the projection.
            var expansion = Assert.IsType<Conv2dLayer>(layers[$"patch_embedds.{s}.channel.m.pw1.c"]);
            Assert.Equal(config.Dims[s - 1], expansion.InChannels);
            Assert.Equal(layers[$"patch_embedds.{s}.spatial.0"].Output, expansion.Inputs[0]);
        }
        // The last FFN's projection runs on the pooled hidden vector, as a linear layer.
        string last = $"stages.{config.Dims.Count - 1}.blocks.{config.Depths[^1] - 1}.block.1.m";
        var projection = Assert.IsType<FullyConnectedLayer>(layers[last + ".pw2.c"]);
        Assert.Equal(layers[last + ".act.pool"].Output, projection.Inputs[0]);
        Assert.IsType<GlobalAveragePoolLayer>(layers[last + ".act.pool"]);
        // The train form keeps every module as trained.
        var train = FaceLiVTDefinition.Build(config, weights, reparameterize: false).Layers.ToDictionary(l => l.Name);
        Assert.IsType<Conv2dLayer>(train[last + ".pw2.c"]);
        Assert.Equal(config.Dims[1], ((Conv2dLayer)train["patch_embedds.1.channel.m.pw1.c"]).InChannels);
    }

    [Fact]
    public void DeployFormOfAConfigEndingWithoutBlocksPoolsAndAgreesWithTrainForm()
    {
        // With no block in the last stage there is no last FFN to project after the pool: the plain pool stays.
        var config = Small(TokenMixer.Mhla) with { Depths = [1, 2, 1, 0] };
        var weights = RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 8);
        var images = RandomImages(2, config.InputSize, 4);
        var deploy = FaceLiVTDefinition.Build(config, weights);
        Assert.Contains(deploy.Layers, l => l is GlobalAveragePoolLayer && l.Name == "pre_head");
        var train = Run(FaceLiVTDefinition.Build(config, weights, reparameterize: false), images, 2, config.InputSize);
        double error = MaxRelativeError(Run(deploy, images, 2, config.InputSize), train);
        output.WriteLine($"max rel error {error:E2}");
        Assert.True(error <= Tolerance, $"error {error:E2}");
    }

    [Fact]
    public void ModelFileStoresTrainFormAndReparameterizesAtLoad()
    {
        var config = Small(TokenMixer.Mhla);
        var weights = RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 2);
        var file = ModelFile.Parse(Serialize(new ModelFile(FaceLiVTDefinition.Family, ModelFamilies.ToJson(config), [.. weights.Tensors])));
        var images = RandomImages(1, config.InputSize, 9);
        var direct = Run(FaceLiVTDefinition.Build(config, weights), images, 1, config.InputSize);
        Assert.Equal(direct, Run(ModelFamilies.Build(file), images, 1, config.InputSize));
        var trainForm = ModelFamilies.Build(file, reparameterize: false);
        Assert.Contains(trainForm.Layers, l => l is BatchNormLayer);
        Assert.DoesNotContain(ModelFamilies.Build(file).Layers, l => l is BatchNormLayer);
    }

    [Fact]
    public void WeightsAreCheckedStrictly()
    {
        var config = Small(TokenMixer.Mhla);
        var specs = FaceLiVTDefinition.Parameters(config);
        var missing = RandomWeights.Create(specs.Where(s => s.Name != "stages.2.blocks.0.block.0.m.linear2.7.bias"), 1);
        var e = Assert.Throws<ModelFormatException>(() => FaceLiVTDefinition.Build(config, missing));
        Assert.Contains("missing stages.2.blocks.0.block.0.m.linear2.7.bias", e.Message);
        var extra = RandomWeights.Create(specs.Append(new ParameterSpec("head.classifier.bn.num_batches_tracked", [1])), 1);
        Assert.Contains("unexpected head.classifier.bn.num_batches_tracked",
            Assert.Throws<ModelFormatException>(() => FaceLiVTDefinition.Build(config, extra)).Message);
    }

    private static byte[] Serialize(ModelFile file)
    {
        string path = Path.Combine(Path.GetTempPath(), $"facelivt-{Guid.NewGuid():N}.fpm");
        try
        {
            file.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
