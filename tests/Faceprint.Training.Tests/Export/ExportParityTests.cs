using Faceprint.Core.Weights;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Export;
using Faceprint.Training.Tests.Models;

namespace Faceprint.Training.Tests.Export;

[Collection(TorchStateCollection.Name)]
public sealed class ExportParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A network with trained-looking weights and BatchNorm statistics, saved, exported and loaded back as an engine
    /// model file, embeds a random batch as the TorchSharp network does in eval mode, in every engine form.
    /// </summary>
    [Theory]
    [InlineData("facelivt-s-la", "ckpt.safetensors")]
    [InlineData("facelivt-s-sa", "ckpt.pt")]
    [InlineData("vit-small-test", "ckpt.safetensors")]
    [InlineData("facex-nano", "ckpt.pt")]
    public void ExportedModelMatchesTheTrainingNetwork(string name, string checkpointName)
    {
        using var model = TestNetworks.Create(name);
        TestNetworks.GiveTrainedState(model);
        string checkpointPath = Path.Combine(_dir, checkpointName), modelPath = Path.Combine(_dir, "model.fpm");
        BackboneCheckpoint.Save(model, checkpointPath);

        var result = ModelExporter.Export(BackboneCheckpoint.Load(checkpointPath));
        result.File.Save(modelPath);

        // The saved file, loaded as the engine loads it, against the network that was trained (not the one reloaded).
        var parity = ModelExporter.Verify(model, ModelFile.Load(modelPath));
        Assert.Equal(model.Family == "mobilefacenet" ? [true] : [true, false], parity.Select(p => p.Reparameterized));
        Assert.All(parity, p => Assert.InRange(p.MaxAbsDifference, 0, ModelExporter.DefaultTolerance));
        Assert.Equal(result.Parity.Count, parity.Count);
    }

    /// <summary>The check is not vacuous: an engine file from other weights is caught.</summary>
    [Fact]
    public void VerifyReportsADifferentNetwork()
    {
        using var trained = TestNetworks.Create("facex-nano");
        TestNetworks.GiveTrainedState(trained, seed: 1);
        using var other = TestNetworks.Create("facex-nano");
        TestNetworks.GiveTrainedState(other, seed: 2);
        var file = ModelExporter.ToModelFile(BackboneCheckpoint.Of(other));

        var parity = Assert.Single(ModelExporter.Verify(trained, file));
        Assert.True(parity.MaxAbsDifference > 1e-2, $"max difference {parity.MaxAbsDifference}");
    }
}
