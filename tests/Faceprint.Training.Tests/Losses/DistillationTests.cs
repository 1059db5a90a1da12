using Faceprint.Core.Graph;
using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;
using Faceprint.Training.Tests.Data;
using Faceprint.Training.Tests.Trainer;
using Faceprint.Training.Trainer;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Losses;

public sealed class DistillationTests(ITestOutputHelper log)
{
    private const int Size = 16;

    [Fact]
    public void StudentEmbeddingsMoveTowardsTheFrozenTeachers()
    {
        TorchRuntime.SetThreads(1);
        var data = GlyphFaces.Dataset(seed: 6, first: 0, count: 20, views: 6, Size);
        torch.manual_seed(100);
        using var teacher = new SmallCnn(Size, 16, width: 8);
        torch.manual_seed(200);
        using var student = new SmallCnn(Size, 16, width: 8);
        CalibrateBatchNorm(teacher, data);
        var teacherBefore = teacher.parameters().Select(p => p.detach().clone()).ToList();
        var distillation = new DistillationLoss(teacher, alpha: 1000);
        // α large enough that the distillation term dominates the classification loss: this tests the mechanics.
        double before = StudentTeacherCosine.Mean(teacher, student, data, Size, InputNormalization.Symmetric128);

        var options = new TrainerOptions
        {
            Loader = new BatchLoaderOptions { BatchSize = 20, ImageSize = Size },
            EmbeddingSize = 16,
            Optimizer = new OptimizerSettings(OptimizerKind.AdamW, 1e-2, 0),
            Epochs = 30,
            Seed = 1,
        };
        using (var trainer = new FaceTrainer(student, data, options, distillation: distillation))
            trainer.Run();
        double after = StudentTeacherCosine.Mean(teacher, student, data, Size, InputNormalization.Symmetric128);

        log.WriteLine($"mean student-teacher cosine {before:F3} -> {after:F3}");
        Assert.True(after > 0.8 && after > before + 0.4, $"mean student-teacher cosine {before:F3} -> {after:F3}");
        Assert.False(teacher.training);
        foreach (var (p, old) in teacher.parameters().Zip(teacherBefore))
        {
            Assert.False(p.requires_grad);
            Assert.True(p.eq(old).all().item<bool>(), "the teacher changed");
        }
    }

    [Fact]
    public void MismatchedFeatureShapesAreReported()
    {
        using var teacher = new SmallCnn(Size, 8, width: 4);
        var distillation = new DistillationLoss(teacher, 0.5);
        using var x = randn(2, 3, Size, Size);
        using var student = randn(2, 16);
        Assert.Contains("differ in shape", Assert.Throws<ArgumentException>(() => distillation.Forward(x, student)).Message);
    }

    [Fact]
    public void EngineNetworkTeacherSeesNhwcInputInItsOwnNormalisation()
    {
        // Global average pool: the teacher's "features" are the per-channel means of what the engine received.
        var builder = new NetworkBuilder();
        int pool = builder.Add(new GlobalAveragePoolLayer("gap", NetworkBuilder.Input, builder.NewValue()));
        var network = builder.Build("gap", 3, pool);
        using var teacher = new EngineTeacher(network, InputNormalization.Symmetric127_5, InputNormalization.Symmetric128);
        torch.manual_seed(3);
        using var x = rand(2, 3, 5, 4) * 2 - 1;
        using var features = teacher.forward(x);

        using var pixels = x * 128 + 127.5;
        using var expected = ((pixels - 127.5) / 127.5).mean([2, 3]);
        Assert.Equal([2L, 3], features.shape);
        Assert.True(features.allclose(expected, rtol: 1e-5, atol: 1e-5), "engine features differ from the per-channel means of its normalised NHWC input");
    }

    /// <summary>
    /// Gives the random teacher the batch-norm statistics a trained network would have, so its features have the unit
    /// scale of the student's rather than the near-zero outputs of default running statistics.
    /// </summary>
    private static void CalibrateBatchNorm(SmallCnn teacher, InMemoryDataset data)
    {
        var batch = new BatchLoader(data, new BatchLoaderOptions { BatchSize = data.Count, ImageSize = Size, RandomFlip = false }).Epoch(0).Single();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(batch.Pixels, [batch.Count, 3, Size, Size]);
        teacher.train();
        for (int i = 0; i < 50; i++)
            teacher.forward(x);
    }
}
