using System.Text.Json;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Cli;
using Faceprint.Training.Tests.Models;

namespace Faceprint.Training.Tests.Export;

[Collection(TorchStateCollection.Name)]
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-export-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary><c>faceprint export</c> writes a loadable model and reports the parity it measured.</summary>
    [Fact]
    public async Task ExportWritesTheModelAndReportsParity()
    {
        string checkpoint = SaveTrainedNano("nano.pt"), model = Path.Combine(_dir, "nano.fpm"), efm3 = Path.Combine(_dir, "nano.efm3");

        var (code, stdout, stderr) = await Run("export", checkpoint, "--out", model, "--efm3", efm3, "--json", "--threads", "1");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("mobilefacenet", root.GetProperty("family").GetString());
        Assert.Equal(4, root.GetProperty("batch").GetInt32());
        Assert.InRange(root.GetProperty("max_abs_difference").GetDouble(), 0, 1e-4);
        Assert.False(root.TryGetProperty("max_abs_difference_train_form", out _));
        var file = ModelFile.Load(model);
        Assert.Equal("mobilefacenet", file.Family);
        Assert.Equal("training-export", file.Metadata["converter"]);
        Assert.Equal(efm3, root.GetProperty("efm3").GetString());
        // The FaceX file folds to exactly the tensors of the engine file.
        var fromEfm3 = Efm3Reader.Read(efm3).ToModelFile();
        Assert.Equal(file.Tensors.Select(t => (t.Name, t.Data)), fromEfm3.Tensors.Select(t => (t.Name, t.Data)));
    }

    /// <summary>A bare state_dict needs --model; without it the command fails with one line and the model-problem code.</summary>
    [Fact]
    public async Task ABareStateDictNeedsModel()
    {
        string checkpoint = SaveTrainedNano("bare.pt"), model = Path.Combine(_dir, "bare.fpm");
        File.Delete(BackboneCheckpoint.SidecarPath(checkpoint));

        var (code, _, stderr) = await Run("export", checkpoint, "--out", model, "--threads", "1");
        Assert.Equal(3, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("does not say which network it holds", stderr);
        Assert.False(File.Exists(model));

        (code, _, stderr) = await Run("export", checkpoint, "--out", model, "--model", "facex-nano", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(model));
    }

    /// <summary>A parity failure is a model problem (exit 3) and leaves no model file behind.</summary>
    [Fact]
    public async Task AParityFailureWritesNothing()
    {
        string checkpoint = SaveTrainedNano("strict.pt"), model = Path.Combine(_dir, "strict.fpm");

        // No fp32 engine matches libtorch to 1e-12, so this tolerance must fail the check.
        var (code, stdout, stderr) = await Run("export", checkpoint, "--out", model, "--tolerance", "1e-12", "--threads", "1");

        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Contains("does not match the training network", stderr);
        Assert.Contains("nothing written", stderr);
        Assert.False(File.Exists(model));
    }

    /// <summary>A trainer's checkpoint folder exports with --model; the source recorded is the module file inside.</summary>
    [Fact]
    public async Task ATrainersCheckpointFolderExportsWithModel()
    {
        using var network = TestNetworks.Create("facex-nano");
        TestNetworks.GiveTrainedState(network);
        string folder = Path.Combine(_dir, "best"), model = Path.Combine(_dir, "best.fpm");
        Directory.CreateDirectory(folder);
        network.save(Path.Combine(folder, BackboneCheckpoint.TorchSharpBackboneFile));

        var (code, _, stderr) = await Run("export", folder, "--out", model, "--model", "facex-nano", "--threads", "1");

        Assert.True(code == 0, stderr);
        Assert.Equal(BackboneCheckpoint.TorchSharpBackboneFile, ModelFile.Load(model).Metadata["source"]);
    }

    /// <summary>Bad arguments and a missing checkpoint are bad input (exit 2), named on one stderr line, before any work.</summary>
    [Theory]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--tolerance", "0", "--tolerance")]
    [InlineData("--model", "resnet-9000", "resnet-9000")]
    public async Task BadArgumentsAreBadInput(string option, string value, string named)
    {
        string checkpoint = Path.Combine(_dir, "exists.pt");
        await File.WriteAllBytesAsync(checkpoint, [1, 2, 3]);

        var (code, stdout, stderr) = await Run("export", checkpoint, "--out", Path.Combine(_dir, "m.fpm"), option, value);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("faceprint: error: ", stderr);
        Assert.Contains(named, stderr);
        (code, _, stderr) = await Run("export", Path.Combine(_dir, "missing.pt"), "--out", Path.Combine(_dir, "m.fpm"));
        Assert.Equal(2, code);
        Assert.Contains("checkpoint not found", stderr);
    }

    private string SaveTrainedNano(string name)
    {
        using var network = TestNetworks.Create("facex-nano");
        TestNetworks.GiveTrainedState(network);
        string path = Path.Combine(_dir, name);
        BackboneCheckpoint.Save(network, path);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await TrainingCliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
