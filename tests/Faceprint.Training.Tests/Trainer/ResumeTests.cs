using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;
using Faceprint.Training.Tests.Data;
using Faceprint.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Trainer;

public sealed class ResumeTests : IDisposable
{
    private const int Size = 16;
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-resume-").FullName;
    private readonly InMemoryDataset _data = GlyphFaces.Dataset(seed: 4, first: 0, count: 20, views: 4, Size);

    // Every training test runs libtorch on one thread: the setting is process-wide, and a bitwise comparison must not
    // see it change between the two runs because another test class set it meanwhile.
    public ResumeTests() => TorchRuntime.SetThreads(1);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(OptimizerKind.AdamW, false)]
    [InlineData(OptimizerKind.Sgd, false)]
    [InlineData(OptimizerKind.AdamW, true)]
    [InlineData(OptimizerKind.Sgd, true)]
    public void StopSaveLoadAndContinueEqualsOneUninterruptedRun(OptimizerKind optimizer, bool lvface)
    {
        // 80 images in batches of 16: 5 steps per epoch, 3 epochs; stop at 7, mid-epoch (and, with LVFace, mid stable stage).
        var options = new TrainerOptions
        {
            Loader = new BatchLoaderOptions { BatchSize = 16, ImageSize = Size, Workers = 2 },
            EmbeddingSize = 16,
            Margin = CombinedMargin.ArcFace,
            SampleRate = 0.5,
            Stable = lvface ? new ExpectationStage(SwitchEpoch: 1, Momentum: 0.8) : null,
            Optimizer = new OptimizerSettings(optimizer, optimizer == OptimizerKind.AdamW ? 1e-3 : 0.05, 5e-4),
            Epochs = 3,
            WarmupEpochs = 1,
            Seed = 21,
        };

        var (straightBackbone, straightHead) = Train(options, run => run.Run());

        var resumeFolder = Path.Combine(_folder, "half");
        Train(options, run =>
        {
            run.Run(stopAfterStep: 7);
            Assert.Equal(new TrainerState { Step = 7, Epoch = 1, Batch = 2, Seed = 21 }, run.State with { TorchRngState = "" });
            run.SaveCheckpoint(resumeFolder);
        });
        var (resumedBackbone, resumedHead) = Train(options, run =>
        {
            run.LoadCheckpoint(resumeFolder);
            var summary = run.Run();
            Assert.Equal(15, summary.Steps);
        });

        Assert.Equal(straightHead, resumedHead);
        Assert.Equal(straightBackbone.Keys, resumedBackbone.Keys);
        foreach (var (name, values) in straightBackbone)
            Assert.True(values.SequenceEqual(resumedBackbone[name]), $"{name} differs after resume");
    }

    [Fact]
    public void CheckpointOfAnotherSeedIsRefused()
    {
        var options = new TrainerOptions { Loader = new BatchLoaderOptions { BatchSize = 16, ImageSize = Size }, EmbeddingSize = 16, Epochs = 1, Seed = 1 };
        var folder = Path.Combine(_folder, "seed1");
        Train(options, run => run.SaveCheckpoint(folder));
        var error = Assert.Throws<FaceprintException>(() => Train(options with { Seed = 2 }, run => run.LoadCheckpoint(folder)));
        Assert.Contains("seed 1", error.Message);
    }

    /// <summary>Builds model and trainer from scratch exactly as a new process would, runs <paramref name="act"/>, returns the weights.</summary>
    private (Dictionary<string, float[]> Backbone, float[] Head) Train(TrainerOptions options, Action<FaceTrainer> act)
    {
        torch.manual_seed(options.Seed);
        using var backbone = new SmallCnn(Size, options.EmbeddingSize, width: 4);
        using var trainer = new FaceTrainer(backbone, _data, options);
        act(trainer);
        var weights = backbone.state_dict().ToDictionary(p => p.Key, p => p.Value.to(float32).data<float>().ToArray());
        return (weights, trainer.Head.Weight.data<float>().ToArray());
    }
}
