using Faceprint.Import.Checkpoints;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Training.Models.MobileFaceNet;

namespace Faceprint.Training.Tests.Models;

[Collection(TorchStateCollection.Name)]
public sealed class StateDictContractTests
{
    /// <summary>Every network's state_dict is exactly its contract (the engine's own list for FaceLiVT and ViT), counters aside.</summary>
    [Theory]
    [InlineData("facelivt-s-la")]
    [InlineData("facelivt-s-sa")]
    [InlineData("vit-small-test")]
    [InlineData("facex-nano")]
    public void StateDictNamesAndShapesAreTheContract(string name)
    {
        using var model = TestNetworks.Create(name);
        var state = model.state_dict()
            .Where(kv => !TensorDictionary.IsBatchNormCounter(kv.Key))
            .Select(kv => (kv.Key, string.Join('x', kv.Value.shape)))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var contract = model.StateDictSpecs.Select(s => (s.Name, string.Join('x', s.Shape)))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(contract, state);
        if (model.Family != MobileFaceNetDefinition.Family)
        {
            var blueprint = ModelFamilies.Blueprint(name, model.Family, model.Config);
            Assert.Equal(blueprint.Parameters.Select(p => p.Name), model.StateDictSpecs.Select(p => p.Name));
            Assert.Equal(blueprint.TrainableParameters, model.TrainableParameterCount);
        }
    }

    /// <summary>MobileFaceNet's names follow the EFM3 file order, 283 tensors for a FaceX size.</summary>
    [Fact]
    public void MobileFaceNetContractIsTheEfm3Order()
    {
        var specs = MobileFaceNetModule.Parameters(MobileFaceNetConfig.FaceXNano);
        Assert.Equal(283, specs.Count);
        Assert.Equal(["stem.conv.weight", "stem.bn.weight", "stem.bn.bias", "stem.bn.running_mean", "stem.bn.running_var", "stem.prelu.weight"],
            specs.Take(6).Select(s => s.Name));
        Assert.Equal("embed.bn.running_var", specs[^1].Name);
    }

    /// <summary>Trainable counts equal the engine's (PyTorch's parameters()) and the published sizes.</summary>
    [Theory]
    [InlineData("facelivt-s-la", 5.05e6, 0.02)]
    [InlineData("facex-nano", 0.20e6, 0.05)]
    public void TrainableParameterCountsMatchTheEngineAndThePaper(string name, double published, double relative)
    {
        using var model = TestNetworks.Create(name);
        var blueprint = BuiltInModels.Find(name)!;
        if (model.Family != MobileFaceNetDefinition.Family) Assert.Equal(blueprint.TrainableParameters, model.TrainableParameterCount);
        Assert.InRange(model.TrainableParameterCount, published * (1 - relative), published * (1 + relative));
    }
}
