using System.Diagnostics;
using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using Faceprint.Training.Optimization;
using Faceprint.Training.Tests.Data;
using Faceprint.Training.Trainer;
using TorchSharp;
using Xunit.Abstractions;

namespace Faceprint.Training.Tests.Trainer;

public sealed class LearningTests(ITestOutputHelper log)
{
    private const int Size = 32;

    /// <summary>
    /// The end-to-end check: a small CNN trained from scratch with CosFace over PartialFC (half the classes per step)
    /// separates identities it never saw, measured with the 10-fold LFW protocol, while the untrained one cannot.
    /// </summary>
    [Fact]
    public void TrainingFromScratchVerifiesHeldOutIdentities()
    {
        TorchRuntime.SetThreads(1);
        torch.manual_seed(11);
        var train = GlyphFaces.Dataset(seed: 1, first: 0, count: 120, views: 8, Size);
        var heldOut = PairValidationSet.FromImages("glyphs", GlyphFaces.Pairs(seed: 1, first: 1000, count: 60, pairsPerClass: 300, Size), Size, InputNormalization.Symmetric128);
        using var backbone = new SmallCnn(Size, 64, width: 16);
        var options = new TrainerOptions
        {
            Loader = new BatchLoaderOptions { BatchSize = 64, ImageSize = Size, Workers = 2 },
            EmbeddingSize = 64,
            Margin = CombinedMargin.CosFace,
            SampleRate = 0.5,
            Optimizer = new OptimizerSettings(OptimizerKind.AdamW, 3e-3, 1e-4),
            Epochs = 12,
            WarmupEpochs = 1,
            Seed = 5,
        };
        using var trainer = new FaceTrainer(backbone, train, options, heldOut);
        var clock = Stopwatch.StartNew();
        double before = trainer.Validate()!.Value;
        var summary = trainer.Run();
        log.WriteLine($"held-out pair accuracy {before:P2} -> {summary.LastAccuracy:P2} in {summary.Steps} steps, {clock.Elapsed.TotalSeconds:F1} s; last loss {summary.LastLoss:F3}");

        Assert.True(summary.Completed);
        Assert.True(before < 0.85, $"untrained accuracy {before:P2}: the task is too easy to show learning");
        Assert.True(summary.LastAccuracy >= 0.95, $"held-out accuracy {summary.LastAccuracy:P2} < 95 %");
    }
}
