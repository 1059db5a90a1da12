using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;

namespace Faceprint.Training.Trainer;

/// <summary>Everything <see cref="FaceTrainer"/> needs besides the backbone, the data and the optional teacher.</summary>
public sealed record TrainerOptions
{
    /// <summary>Batching, augmentation and data-order seed.</summary>
    public BatchLoaderOptions Loader { get; init; } = new();

    /// <summary>Length of the backbone's embeddings (the class centres' width).</summary>
    public int EmbeddingSize { get; init; } = 512;

    /// <summary>The target-logit margin and scale.</summary>
    public CombinedMargin Margin { get; init; } = CombinedMargin.CosFace;

    /// <summary>PartialFC's fraction of classes scored per step (1 = all).</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>LVFace's expectation stage, or <c>null</c> for plain margin + PartialFC throughout.</summary>
    public ExpectationStage? Stable { get; init; }

    /// <summary>Optimizer and its peak learning rate.</summary>
    public OptimizerSettings Optimizer { get; init; } = new(OptimizerKind.Sgd, 0.1, 5e-4);

    /// <summary>Decay shape after warm-up.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Polynomial;

    /// <summary>Learning rate at the end of training.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Warm-up length in epochs (fractions allowed); converted to steps.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>
    /// Clip the backbone's global gradient norm to this value; <c>null</c> turns clipping off. InsightFace clips the
    /// backbone (not the class centres) at 5.
    /// </summary>
    public double? GradientClip { get; init; } = 5;

    /// <summary>
    /// Seed of the data order, flips and PartialFC's negative sampling. The initial weights come from torch's global
    /// generator, which the caller seeds before building the backbone and trainer (<c>TrainingJob</c> seeds it with this value).
    /// </summary>
    public long Seed { get; init; }

    /// <summary>Validate every this many steps; 0 validates at the end of each epoch only.</summary>
    public int ValidateEvery { get; init; }

    /// <summary>Write the "last" checkpoint every this many steps; 0 writes it at the end of each epoch only.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Folder for checkpoints, the training-curve CSV and its plots; <c>null</c> writes nothing.</summary>
    public string? OutputFolder { get; init; }
}
