namespace Faceprint.Training.Trainer;

/// <summary>
/// Where a run stands, saved with every checkpoint: together with the weights and optimizer state this is all an exact
/// resume needs, because data order, flips and PartialFC sampling are pure functions of (seed, epoch/step, position).
/// </summary>
public sealed record TrainerState
{
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; init; }

    /// <summary>Epoch the next step belongs to.</summary>
    public int Epoch { get; init; }

    /// <summary>Index in its epoch of the next batch.</summary>
    public int Batch { get; init; }

    /// <summary>The run's seed (checked on resume: a different seed would silently change the data order).</summary>
    public long Seed { get; init; }

    /// <summary>Best validation accuracy so far, or <c>null</c> before any validation.</summary>
    public double? BestAccuracy { get; init; }

    /// <summary>Step at which <see cref="BestAccuracy"/> was reached.</summary>
    public long BestStep { get; init; }

    /// <summary>libtorch's CPU generator state (for modules that draw random numbers, e.g. token masking), base64.</summary>
    public string TorchRngState { get; init; } = "";
}
