using static TorchSharp.torch;

namespace Faceprint.Training.Optimization;

/// <summary>
/// Per-step learning rate: linear warm-up from peak/warm-up to the peak over <see cref="WarmupSteps"/> steps, then a
/// polynomial or cosine decay to <see cref="MinLearningRate"/> at <see cref="TotalSteps"/>. A pure function of the step,
/// so resuming only needs the step count.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public LearningRateSchedule(ScheduleKind kind, double peak, long totalSteps, long warmupSteps = 0, double minLearningRate = 0, double power = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peak);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmupSteps, totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minLearningRate, peak);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(power);
        (Kind, Peak, TotalSteps, WarmupSteps, MinLearningRate, Power) = (kind, peak, totalSteps, warmupSteps, minLearningRate, power);
    }

    /// <summary>Decay shape.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>Learning rate at the end of warm-up.</summary>
    public double Peak { get; }

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>Learning rate at the last step.</summary>
    public double MinLearningRate { get; }

    /// <summary>Exponent of the polynomial decay.</summary>
    public double Power { get; }

    /// <summary>The learning rate of 0-based step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // (step + 1) so the first step already moves: InsightFace's step/warmup spends step 0 at learning rate 0.
        if (step < WarmupSteps)
            return Peak * (step + 1) / WarmupSteps;
        long decaySteps = TotalSteps - WarmupSteps;
        double progress = decaySteps == 0 ? 1 : Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        double factor = Kind == ScheduleKind.Polynomial
            ? Math.Pow(1 - progress, Power)
            : 0.5 * (1 + Math.Cos(Math.PI * progress));
        return MinLearningRate + (Peak - MinLearningRate) * factor;
    }

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the rate of <paramref name="step"/>; returns it.</summary>
    public double Apply(optim.Optimizer optimizer, long step)
    {
        double lr = At(step);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = lr;
        return lr;
    }
}
