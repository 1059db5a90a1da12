using Faceprint.Import.Checkpoints;
using Faceprint.Import.Safetensors;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Tests.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Export;

[Collection(TorchStateCollection.Name)]
public sealed class BackboneCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Both formats bring back the same network: family, config, every weight, statistic and step counter.</summary>
    [Theory]
    [InlineData("ckpt.safetensors")]
    [InlineData("ckpt.pt")]
    public void SavedCheckpointRestoresTheNetwork(string fileName)
    {
        using var model = TestNetworks.Create("facelivt-s-sa");
        TestNetworks.GiveTrainedState(model);
        string path = Path.Combine(_dir, fileName);
        BackboneCheckpoint.Save(model, path, new Dictionary<string, string> { ["epoch"] = "3", ["loss"] = "12.5" });

        var checkpoint = BackboneCheckpoint.Load(path);
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "3", ["loss"] = "12.5" }, checkpoint.Notes);
        Assert.Equal("facelivt", checkpoint.Family);
        Assert.Equal(model.Config.ToJsonString(), checkpoint.Config.ToJsonString());
        var counter = checkpoint.Tensors["head.classifier.bn.num_batches_tracked"];
        Assert.Equal(TensorElementType.Int64, counter.ElementType);
        Assert.Equal(4f, counter.Data[0]);

        using var restored = checkpoint.CreateModel();
        restored.eval();
        using var noGrad = no_grad();
        using var input = rand(2, 3, 112, 112);
        using var expected = model.forward(input);
        using var actual = restored.forward(input);
        Assert.True(expected.eq(actual).all().item<bool>());
        Assert.Equal(4L, restored.get_buffer("head.classifier.bn.num_batches_tracked")!.item<long>());
    }

    /// <summary>A trainer's checkpoint folder (TorchSharp's module file inside) exports once told which network it holds.</summary>
    [Fact]
    public void ATrainersModuleFileIsReadGivenItsConfiguration()
    {
        using var model = TestNetworks.Create("facex-nano");
        TestNetworks.GiveTrainedState(model);
        string folder = Path.Combine(_dir, "last");
        Directory.CreateDirectory(folder);
        model.save(Path.Combine(folder, BackboneCheckpoint.TorchSharpBackboneFile));

        Assert.Contains("does not say which network", Assert.Throws<ModelFormatException>(() => BackboneCheckpoint.Load(folder)).Message);
        Assert.Throws<ModelFormatException>(() => BackboneCheckpoint.Load(folder, Faceprint.Models.BuiltInModels.Find("facex-tiny")));

        using var restored = BackboneCheckpoint.Load(folder, Faceprint.Models.BuiltInModels.Find("facex-nano")).CreateModel();
        restored.eval();
        using var noGrad = no_grad();
        using var input = rand(2, 3, 112, 112);
        using var expected = model.forward(input);
        using var actual = restored.forward(input);
        Assert.True(expected.eq(actual).all().item<bool>());
    }

    /// <summary>Loading is strict: a missing or an unexpected tensor is named in the error; a DataParallel prefix is fine.</summary>
    [Fact]
    public void LoadingIsStrictByName()
    {
        using var model = TestNetworks.Create("facex-nano");
        var tensors = BackboneCheckpoint.Of(model).Tensors.Tensors;

        var missing = Assert.Throws<ModelFormatException>(() => StateDict.Load(model, new TensorDictionary(tensors.Where(t => t.Name != "final.prelu.weight"))));
        Assert.Contains("final.prelu.weight", missing.Message);
        var extra = tensors.Append(new CheckpointTensor("head.weight", [2], TensorElementType.Float32, [1f, 2f]));
        Assert.Contains("head.weight", Assert.Throws<ModelFormatException>(() => StateDict.Load(model, new TensorDictionary(extra))).Message);

        string path = Path.Combine(_dir, "parallel.safetensors");
        SafetensorsWriter.Write(path, tensors.Select(t => t with { Name = "module." + t.Name }));
        Assert.Contains("does not say which network", Assert.Throws<ModelFormatException>(() => BackboneCheckpoint.Load(path)).Message);
        using var loaded = BackboneCheckpoint.Load(path, Faceprint.Models.BuiltInModels.Find("facex-nano")).CreateModel();
        Assert.Equal(model.TrainableParameterCount, loaded.TrainableParameterCount);
    }
}
