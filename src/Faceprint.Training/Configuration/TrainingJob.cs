using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;
using Faceprint.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Configuration;

/// <summary>Everything a <see cref="TrainingConfig"/> describes, built and wired: data, backbone, teacher, validation, trainer.</summary>
public sealed class TrainingJob : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private TrainingJob(TrainingConfig config, BackboneRegistry registry)
    {
        Config = config;
        try
        {
            if (config.Threads is { } threads)
                TorchRuntime.SetThreads(threads);
            IFaceDataset data = config.Rec is { } rec ? Own(new RecordIODataset(rec)) : new ImageFolderDataset(config.ImageFolder!);
            Images = data.Count;
            Classes = data.ClassCount;
            var loader = new BatchLoaderOptions
            {
                BatchSize = config.BatchSize,
                ImageSize = config.InputSize,
                Workers = config.NumWorkers,
                Prefetch = 2 * config.NumWorkers,
                RandomFlip = config.RandomFlip,
            };
            // Validation and an engine teacher see pixels exactly as the training batches normalise them.
            var normalization = loader.Normalization;
            var validation = config.ValPairs is { } pairs
                ? PairValidationSet.FromPairsFile(pairs, config.ValRoot!, config.InputSize, normalization)
                : config.ValBin is { } bin ? PairValidationSet.FromBinFile(bin, config.InputSize, normalization) : null;
            DistillationLoss? distillation = null;
            if (config.Teacher is { } t)
                distillation = new DistillationLoss(Own(CreateTeacher(t, config, registry, normalization)), t.Alpha);

            // Seed right before the student and its class centres are drawn, so a config gives one starting point.
            torch.manual_seed(config.Seed);
            var backbone = Own(registry.Create(config.Network, new BackboneOptions(config.EmbeddingSize, config.InputSize)));
            var options = new TrainerOptions
            {
                Loader = loader,
                EmbeddingSize = config.EmbeddingSize,
                Margin = new CombinedMargin(config.MarginList[0], config.MarginList[1], config.MarginList[2], config.Scale),
                SampleRate = config.SampleRate,
                Stable = config.LvfaceSwitchEpoch is { } e ? new ExpectationStage(e, config.LvfaceMomentum) : null,
                Optimizer = new OptimizerSettings(config.Optimizer.Equals("adamw", StringComparison.OrdinalIgnoreCase) ? OptimizerKind.AdamW : OptimizerKind.Sgd,
                    config.Lr, config.WeightDecay, config.Momentum),
                Schedule = config.Schedule.Equals("cosine", StringComparison.OrdinalIgnoreCase) ? ScheduleKind.Cosine : ScheduleKind.Polynomial,
                MinLearningRate = config.MinLr,
                Epochs = config.NumEpoch,
                WarmupEpochs = config.WarmupEpoch,
                GradientClip = config.GradientClip is > 0 ? config.GradientClip : null,
                Seed = config.Seed,
                ValidateEvery = config.ValEvery,
                CheckpointEvery = config.CheckpointEvery,
                OutputFolder = config.Output,
            };
            Trainer = Own(new FaceTrainer(backbone, data, options, validation, distillation));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The configuration the job was built from.</summary>
    public TrainingConfig Config { get; }

    /// <summary>The trainer, ready to run.</summary>
    public FaceTrainer Trainer { get; } = null!;

    /// <summary>Training images.</summary>
    public int Images { get; }

    /// <summary>Training classes.</summary>
    public int Classes { get; }

    /// <summary>Builds the job; with <paramref name="resume"/>, continues from the output folder's last checkpoint when there is one.</summary>
    /// <exception cref="FaceprintException">Data, network, teacher or checkpoint cannot be loaded.</exception>
    public static TrainingJob Create(TrainingConfig config, BackboneRegistry registry, bool resume)
    {
        var job = new TrainingJob(config, registry);
        try
        {
            if (resume && job.Trainer.LastCheckpointFolder is { } last && Directory.Exists(last))
                job.Trainer.LoadCheckpoint(last);
            return job;
        }
        catch
        {
            job.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
        _owned.Clear();
    }

    private static nn.Module<Tensor, Tensor> CreateTeacher(TeacherConfig t, TrainingConfig config, BackboneRegistry registry, InputNormalization normalization)
    {
        if (t.EngineModel is { } path)
        {
            if (!File.Exists(path))
                throw new FaceprintException($"teacher model not found: {path}");
            // Every engine embedder takes InsightFace's (x − 127.5)/128 input, as FaceEngine feeds it.
            var network = ModelFamilies.Build(ModelFile.Load(path));
            return new EngineTeacher(network, InputNormalization.Symmetric128, normalization, config.Threads ?? Environment.ProcessorCount);
        }
        var teacher = registry.Create(t.Network!, new BackboneOptions(t.EmbeddingSize ?? config.EmbeddingSize, config.InputSize));
        string weights = Directory.Exists(t.Weights) ? Path.Combine(t.Weights, TrainingCheckpoint.BackboneFile) : t.Weights!;
        if (!File.Exists(weights))
        {
            teacher.Dispose();
            throw new FaceprintException($"teacher weights not found: {weights}");
        }
        teacher.load(weights);
        teacher.to(TorchRuntime.DefaultDevice);
        return teacher;
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }
}
