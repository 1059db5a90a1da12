using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models;
using Faceprint.Preprocessing;
using Faceprint.Storage;
using Faceprint.Training.Data;
using Faceprint.Training.Losses;
using Faceprint.Training.Models;
using Faceprint.Training.Optimization;
using Faceprint.Training.Tests.Data;
using Faceprint.Training.Trainer;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Losses;

/// <summary>
/// The paper's distillation set-up at toy scale: a FaceLiVT-S student learns to reproduce the pretrained 192-d
/// MobileFaceNet (the default model, run by the engine as a frozen teacher) on real aligned faces from the fixtures.
/// </summary>
public sealed class FixtureDistillationTests(ITestOutputHelper log)
{
    // The student sees the aligned faces at half size to keep the test short; the teacher gets them scaled back to 112.
    private const int Size = 56;

    [Fact]
    public async Task FaceLiVTStudentApproachesThePretrainedMobileFaceNetOnFixtureFaces()
    {
        // One libtorch thread, as every test here: the setting is process-wide (two would leak into the tests after this one),
        // and on a machine whose cores are busy, two OpenMP workers spend their time waiting on each other.
        TorchRuntime.SetThreads(1);
        var (faces, paths) = await AlignedFixtureFacesAsync(count: 16);
        using var engine = new EngineTeacher(ModelFamilies.Build(ModelFile.Load(paths.Embedder)), InputNormalization.Symmetric128,
            InputNormalization.Symmetric127_5, threads: 2);
        using var teacher = new Upscaled(engine, 112);
        torch.manual_seed(7);
        using var student = FaceBackbones.Create("facelivt-s-la", embeddingSize: 192, inputSize: Size);
        Assert.Equal(InputNormalization.Symmetric127_5, student.Normalization);
        var data = new InMemoryDataset(faces.Select((f, i) => new FaceSample(f, i)).ToList(), faces.Count);
        double before = StudentTeacherCosine.Mean(teacher, student, data, Size, student.Normalization);

        var options = new TrainerOptions
        {
            Loader = new BatchLoaderOptions { BatchSize = faces.Count, ImageSize = Size, RandomFlip = false, Normalization = student.Normalization },
            EmbeddingSize = 192,
            Optimizer = new OptimizerSettings(OptimizerKind.AdamW, 3e-3, 0),
            Epochs = 40,
            Seed = 1,
        };
        // α makes the feature term dominate the 16-way classification term: the test is about following the teacher.
        using (var trainer = new FaceTrainer(student, data, options, distillation: new DistillationLoss(teacher, alpha: 10)))
            trainer.Run();
        double after = StudentTeacherCosine.Mean(teacher, student, data, Size, student.Normalization);

        log.WriteLine($"mean cosine of FaceLiVT-S to the MobileFaceNet teacher on {faces.Count} fixture faces: {before:F3} -> {after:F3}");
        Assert.True(after > 0.6 && after > before + 0.4, $"mean student-teacher cosine {before:F3} -> {after:F3}");
    }

    /// <summary>The most prominent face of each fixture portrait, aligned to 112×112 by the engine.</summary>
    private static async Task<(List<Imaging.RgbImage> Faces, FaceModelPaths Paths)> AlignedFixtureFacesAsync(int count)
    {
        string root = FindRepoRoot();
        var paths = await DefaultModels.EnsureAsync(new FaceprintHome(Path.Combine(root, ".cache", "faceprint")));
        using var engine = FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold, new FaceEngineOptions { Threads = 2 });
        var faces = new List<Imaging.RgbImage>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "..", "shared", "fixtures", "deepface"), "*.jpg").Order(StringComparer.Ordinal))
        {
            if (faces.Count == count) break;
            var image = await engine.LoadImageAsync(file);
            var detected = engine.Detect(image);
            if (detected.Count > 0) faces.Add(engine.Align(image, FaceEngine.MostProminent(detected, image)));
        }
        Assert.Equal(count, faces.Count);
        return (faces, paths);
    }

    /// <summary>A frozen module that first scales its N×3×S×S input to <c>side</c>×<c>side</c> (bilinear).</summary>
    private sealed class Upscaled : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _inner;
        private readonly long _side;

        public Upscaled(nn.Module<Tensor, Tensor> inner, long side) : base(nameof(Upscaled))
        {
            _inner = inner;
            _side = side;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scaled = nn.functional.interpolate(input, [_side, _side], mode: InterpolationMode.Bilinear, align_corners: false);
            return _inner.forward(scaled);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Faceprint.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Faceprint.slnx) not found above " + AppContext.BaseDirectory);
    }
}
