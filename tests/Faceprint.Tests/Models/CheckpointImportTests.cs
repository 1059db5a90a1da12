using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;
using Faceprint.Import.Safetensors;
using Faceprint.Models;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Storage;
using static Faceprint.Tests.Models.ModelTestSupport;

namespace Faceprint.Tests.Models;

/// <summary>Trained weights arrive as PyTorch state dicts under the reference names; import is strict and lossless.</summary>
public sealed class CheckpointImportTests
{
    [Theory]
    [InlineData("facelivt-s-la", "pt")]
    [InlineData("facelivt-m-sa", "safetensors")]
    [InlineData("vit-t", "pt")]
    public void StateDictRoundTripsIntoTheSameNetwork(string name, string format)
    {
        using var dir = new TempDirectory();
        var model = BuiltInModels.Find(name)!;
        var weights = RandomWeights.Create(model.Parameters, 8);
        string path = Path.Combine(dir.Path, "checkpoint." + format);
        // As torch.save(model.state_dict()) under DataParallel writes it: "module." names and BN step counters.
        var stateDict = StateDict(model, weights, "module.");
        if (format == "pt") PyTorchCheckpointWriter.Write(path, stateDict);
        else SafetensorsWriter.Write(path, stateDict);

        var file = CheckpointImporter.Import(model, CheckpointReader.Read(path));

        Assert.Equal(model.Parameters.Select(p => p.Name), file.Tensors.Select(t => t.Name));
        var images = RandomImages(1, model.InputSize, 2);
        Assert.Equal(Run(model.Build(weights), images, 1, model.InputSize), Run(ModelFamilies.Build(file), images, 1, model.InputSize));
    }

    [Fact]
    public void WrongOrMissingTensorsAreAllReported()
    {
        var model = BuiltInModels.Find("facelivt-s-la")!;
        var tensors = StateDict(model, RandomWeights.Create(model.Parameters, 1), "")
            .Where(t => t.Name != "head.classifier.l.bias")
            .Select(t => t.Name == "stages.2.blocks.0.block.0.m.linear1.3.weight" ? t with { Shape = [49, 196] } : t)
            .Append(new CheckpointTensor("head.classifier.extra", [1], TensorElementType.Float32, [0f]));

        var e = Assert.Throws<ModelFormatException>(() => CheckpointImporter.Import(model, new TensorDictionary(tensors)));

        Assert.Contains("missing head.classifier.l.bias", e.Message);
        Assert.Contains("stages.2.blocks.0.block.0.m.linear1.3.weight has shape [49,196], expected [196,49]", e.Message);
        Assert.Contains("unexpected head.classifier.extra", e.Message);
    }

    [Fact]
    public async Task CliImportsACheckpointIntoAModelFileThatInfoReads()
    {
        using var dir = new TempDirectory();
        var model = BuiltInModels.Find("facelivt-s-sa")!;
        string pt = Path.Combine(dir.Path, "facelivt_s_sa.pth"), fpm = Path.Combine(dir.Path, "facelivt-s-sa.fpm");
        PyTorchCheckpointWriter.Write(pt, StateDict(model, RandomWeights.Create(model.Parameters, 4), ""));

        var import = await CliRun.StartAsync("models", "import", pt, "--model", "facelivt-s-sa", "--out", fpm);
        Assert.True(import.ExitCode == 0, import.ToString());
        var info = await CliRun.StartAsync("models", "info", fpm, "--runs", "1", "--threads", "1");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("params    5.92 M", info.Stdout);
        Assert.Equal("checkpoint", ModelFile.Load(fpm).Metadata["converter"]);
    }

    private static List<CheckpointTensor> StateDict(ModelBlueprint model, WeightSet weights, string prefix)
    {
        var tensors = new List<CheckpointTensor>();
        foreach (var spec in model.Parameters)
        {
            tensors.Add(new CheckpointTensor(prefix + spec.Name, spec.Shape, TensorElementType.Float32, weights[spec.Name]));
            if (spec.Name.EndsWith(".running_var", StringComparison.Ordinal))
                tensors.Add(new CheckpointTensor(prefix + spec.Name[..^"running_var".Length] + "num_batches_tracked", [], TensorElementType.Int64, [1234f]));
        }
        return tensors;
    }
}
