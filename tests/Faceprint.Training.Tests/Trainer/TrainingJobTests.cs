using Faceprint.Training.Configuration;
using Faceprint.Training.Tests.Data;

namespace Faceprint.Training.Tests.Trainer;

public sealed class TrainingJobTests : IDisposable
{
    private const int Size = 16;
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-job-").FullName;
    private readonly BackboneRegistry _registry = new();

    public TrainingJobTests()
    {
        TorchRuntime.SetThreads(1); // process-wide; see ResumeTests
        _registry.Register("small_cnn", o => new SmallCnn(o.InputSize, o.EmbeddingSize, width: 4));
        GlyphFaces.WriteFolder(Path.Combine(_folder, "faces"), seed: 9, first: 0, count: 10, views: 4, Size);
        GlyphFaces.WriteFolder(Path.Combine(_folder, "val"), seed: 9, first: 100, count: 10, views: 2, Size);
        GlyphFaces.WritePairsFile(Path.Combine(_folder, "pairs.txt"), first: 100);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void YamlConfigTrainsAndWritesCheckpointsCurveAndPlots()
    {
        var config = TrainingConfigFile.Load(WriteYaml("run.yaml", ""));
        Assert.Equal(Path.Combine(_folder, "out"), config.Output);
        using (var job = TrainingJob.Create(config, _registry, resume: false))
        {
            Assert.Equal((40, 10), (job.Images, job.Classes));
            var summary = job.Trainer.Run();
            Assert.True(summary.Completed);
            Assert.Equal(10, summary.Steps);
            Assert.NotNull(summary.BestAccuracy);
        }

        var rows = File.ReadAllLines(Path.Combine(_folder, "out", "curve.csv"));
        Assert.Equal("step,epoch,lr,loss,val_accuracy", rows[0]);
        Assert.Equal(Enumerable.Range(1, 10).Select(s => s.ToString()), rows.Skip(1).Select(r => r.Split(',')[0]));
        Assert.Equal(2, rows.Skip(1).Count(r => r.Split(',')[4].Length > 0)); // validated at each epoch end
        foreach (var plot in new[] { "curve-loss.png", "curve-accuracy.png" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_folder, "out", plot))[..4]);
        foreach (var checkpoint in new[] { "last", "best" })
            Assert.True(File.Exists(Path.Combine(_folder, "out", checkpoint, "state.json")), checkpoint);

        // A fresh (not resumed) run into the same folder starts a new curve.
        using (var again = TrainingJob.Create(config, _registry, resume: false))
            again.Trainer.Run(stopAfterStep: 3);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(_folder, "out", "curve.csv")).Length);
    }

    [Fact]
    public void ResumeContinuesFromTheLastCheckpointAndKeepsOneCurveRowPerStep()
    {
        var config = TrainingConfigFile.Load(WriteYaml("run.yaml", ""));
        using (var job = TrainingJob.Create(config, _registry, resume: false))
        {
            job.Trainer.Run(stopAfterStep: 7); // the last checkpoint is from the end of epoch 1 (step 5)
            Assert.Equal(7, job.Trainer.State.Step);
        }
        using (var job = TrainingJob.Create(config, _registry, resume: true))
        {
            Assert.Equal(5, job.Trainer.State.Step);
            Assert.Equal(10, job.Trainer.Run().Steps);
        }
        var steps = File.ReadAllLines(Path.Combine(_folder, "out", "curve.csv")).Skip(1).Select(r => int.Parse(r.Split(',')[0]));
        Assert.Equal(Enumerable.Range(1, 10), steps);
    }

    [Fact]
    public void ConfigErrorsNameTheProblem()
    {
        Assert.Contains("learning_rate", Assert.ThrowsAny<FaceprintException>(() => TrainingConfigFile.Load(WriteYaml("typo.yaml", "learning_rate: 0.1\n"))).Message);
        Assert.Contains("sample_rate", Assert.Throws<FaceprintException>(() => TrainingConfigFile.Load(WriteYaml("rate.yaml", "sample_rate: 1.5\n"))).Message);
        File.WriteAllText(Path.Combine(_folder, "both.json"), """{ "network": "small_cnn", "rec": "a.rec", "image_folder": "faces" }""");
        Assert.Contains("exactly one of rec and image_folder", Assert.Throws<FaceprintException>(() => TrainingConfigFile.Load(Path.Combine(_folder, "both.json"))).Message);

        var unknown = TrainingConfigFile.Load(WriteYaml("net.yaml", "")) with { Network = "vit_l" };
        var error = Assert.Throws<FaceprintException>(() => TrainingJob.Create(unknown, _registry, resume: false));
        Assert.Contains("unknown network 'vit_l' (registered: small_cnn)", error.Message);
    }

    [Fact]
    public void JsonConfigMirrorsTheYamlKeys()
    {
        File.WriteAllText(Path.Combine(_folder, "c.json"), """
            { "network": "small_cnn", "embedding_size": 8, "input_size": 16, "margin_list": [1.0, 0.0, 0.4], "sample_rate": 0.3,
              "optimizer": "adamw", "lr": 0.006, "min_lr": 1e-5, "weight_decay": 1e-4, "batch_size": 8, "num_epoch": 20,
              "warmup_epoch": 1, "schedule": "cosine", "image_folder": "faces", "lvface_switch_epoch": 10,
              "teacher": { "network": "small_cnn", "weights": "teacher", "alpha": 0.5 } }
            """);
        var c = TrainingConfigFile.Load(Path.Combine(_folder, "c.json"));
        Assert.Equal([1.0, 0.0, 0.4], c.MarginList);
        Assert.Equal((0.3, "adamw", 0.006, 1e-5, 20, "cosine", 10), (c.SampleRate, c.Optimizer, c.Lr, c.MinLr, c.NumEpoch, c.Schedule, c.LvfaceSwitchEpoch));
        Assert.Equal(Path.Combine(_folder, "teacher"), c.Teacher!.Weights);
        Assert.Equal(Path.Combine(_folder, "faces"), c.ImageFolder);
    }

    private string WriteYaml(string name, string extra)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $"""
            network: small_cnn
            embedding_size: 8
            input_size: {Size}
            margin_list: [1.0, 0.5, 0.0]
            sample_rate: 0.5
            optimizer: sgd
            lr: 0.05
            weight_decay: 0.0005
            batch_size: 8
            num_epoch: 2
            warmup_epoch: 0.5
            seed: 3
            threads: 1
            image_folder: faces
            val_pairs: pairs.txt
            val_root: val
            output: out
            {extra}
            """);
        return path;
    }
}
