using Faceprint.Training.Cli;
using Faceprint.Training.Configuration;
using Faceprint.Training.Tests.Data;

namespace Faceprint.Training.Tests.Trainer;

public sealed class TrainCommandTests : IDisposable
{
    private const int Size = 16;
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-cli-train-").FullName;

    static TrainCommandTests() =>
        BackboneRegistry.Default.Register("test_small_cnn", o => new SmallCnn(o.InputSize, o.EmbeddingSize, width: 4));

    public TrainCommandTests()
    {
        GlyphFaces.WriteFolder(Path.Combine(_folder, "faces"), seed: 8, first: 0, count: 10, views: 4, Size);
        GlyphFaces.WriteFolder(Path.Combine(_folder, "val"), seed: 8, first: 100, count: 10, views: 2, Size);
        GlyphFaces.WritePairsFile(Path.Combine(_folder, "pairs.txt"), first: 100);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TrainsFromAConfigAndReportsTheRun()
    {
        var config = WriteConfig("test_small_cnn");
        var (code, stdout, stderr) = await Run("train", "--config", config);

        Assert.True(code == 0, stderr);
        Assert.Contains("steps:          10", stdout);
        Assert.Contains("best accuracy:", stdout);
        Assert.Contains(Path.Combine(_folder, "out", "last"), stdout);
        Assert.Contains("faceprint: training test_small_cnn on 40 images of 10 identities, 10 steps", stderr);
        Assert.Contains("faceprint: epoch 2:", stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "out", "curve.csv")));

        (code, stdout, stderr) = await Run("train", "--config", config, "--resume", "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("resumed at step 10", stderr);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var report = json.RootElement;
        Assert.Equal(10, report.GetProperty("steps").GetInt64());
        Assert.Equal(10, report.GetProperty("identities").GetInt32());
        Assert.False(report.TryGetProperty("last_loss", out _)); // nothing left to train
        Assert.InRange(report.GetProperty("best_accuracy").GetDouble(), 0, 1);
        Assert.Equal(Path.Combine(_folder, "out", "curve.csv"), report.GetProperty("curve").GetString());
    }

    [Fact]
    public async Task ABuiltInNetworkTrainsAndItsCheckpointFolderExportsToTheEngine()
    {
        var config = WriteConfig("facelivt_s_la", inputSize: 32, epochs: 1);
        var (code, _, stderr) = await Run("train", "--config", config);
        Assert.True(code == 0, stderr);
        string last = Path.Combine(_folder, "out", "last");
        Assert.True(File.Exists(Path.Combine(last, "backbone.safetensors")));

        // The folder describes its network, so export needs no --model; it writes the file only after the parity check.
        string model = Path.Combine(_folder, "trained.fpm");
        (code, var stdout, stderr) = await Run("export", last, "--out", model, "--json");
        Assert.True(code == 0, stderr);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.True(File.Exists(model));
        Assert.Equal("facelivt", json.RootElement.GetProperty("family").GetString());
        Assert.InRange(json.RootElement.GetProperty("max_abs_difference").GetDouble(), 0, 1e-4);
        Assert.InRange(json.RootElement.GetProperty("max_abs_difference_train_form").GetDouble(), 0, 1e-4);
    }

    [Fact]
    public async Task PackWritesAPackTheTrainerReads()
    {
        var rec = Path.Combine(_folder, "packed", "train.rec");
        var (code, stdout, stderr) = await Run("train", "pack", "--images", Path.Combine(_folder, "faces"), "--out", rec);
        Assert.True(code == 0, stderr);
        Assert.Contains("packed 40 images of 10 identities", stdout);
        using var pack = new Faceprint.Training.Data.RecordIODataset(rec);
        Assert.Equal((40, 10), (pack.Count, pack.ClassCount));

        (code, _, stderr) = await Run("train", "pack", "--images", Path.Combine(_folder, "nothing"), "--out", rec);
        Assert.Equal(2, code);
        Assert.Contains("training image folder not found", stderr);
    }

    [Fact]
    public async Task ProblemsEndAsOneErrorLineWithTheBadInputCode()
    {
        var (code, _, stderr) = await Run("train", "--config", WriteConfig("no_such_net"));
        Assert.Equal(2, code);
        Assert.Equal("faceprint: error: unknown network 'no_such_net'", stderr.Trim().Split(" (registered")[0]);

        (code, _, stderr) = await Run("train", "--config", Path.Combine(_folder, "missing.json"));
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private string WriteConfig(string network, int inputSize = Size, int epochs = 2)
    {
        var path = Path.Combine(_folder, $"{network}.json");
        File.WriteAllText(path, $$"""
            { "network": "{{network}}", "embedding_size": 8, "input_size": {{inputSize}}, "margin_list": [1.0, 0.0, 0.4],
              "sample_rate": 0.5, "optimizer": "adamw", "lr": 0.003, "weight_decay": 0.0001, "batch_size": 8, "num_epoch": {{epochs}},
              "threads": 1, "image_folder": "faces", "val_pairs": "pairs.txt", "val_root": "val", "output": "out" }
            """);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await TrainingCliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
