using Faceprint.Training.Optimization;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Optimization;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void WarmupRisesLinearlyToThePeak()
    {
        var s = new LearningRateSchedule(ScheduleKind.Polynomial, 0.1, totalSteps: 100, warmupSteps: 10);
        Assert.Equal(0.01, s.At(0), 12);
        Assert.Equal(0.05, s.At(4), 12);
        Assert.Equal(0.1, s.At(9), 12);
        Assert.Equal(0.1, s.At(10), 12);
    }

    [Fact]
    public void PolynomialDecayIsSquaredByDefaultAndEndsAtTheMinimum()
    {
        var s = new LearningRateSchedule(ScheduleKind.Polynomial, 6e-3, totalSteps: 110, warmupSteps: 10, minLearningRate: 1e-5);
        Assert.Equal(1e-5 + (6e-3 - 1e-5) * 0.25, s.At(60), 12); // half-way: (1 − ½)² = ¼
        Assert.Equal(1e-5, s.At(110), 12);
        Assert.Equal(1e-5, s.At(500), 12);
        var linear = new LearningRateSchedule(ScheduleKind.Polynomial, 1, totalSteps: 100, power: 1);
        Assert.Equal(0.75, linear.At(25), 12);
    }

    [Fact]
    public void CosineDecayFollowsHalfACosine()
    {
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 1, totalSteps: 100, warmupSteps: 0, minLearningRate: 0.1);
        Assert.Equal(1, s.At(0), 12);
        Assert.Equal(0.55, s.At(50), 12);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), s.At(25), 12);
        Assert.Equal(0.1, s.At(100), 12);
    }

    [Fact]
    public void ApplySetsTheOptimizersLearningRate()
    {
        using var p = new TorchSharp.Modules.Parameter(zeros(3));
        using var optimizer = OptimizerFactory.Create([p], new OptimizerSettings(OptimizerKind.AdamW, 0.5, 0.1));
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 0.5, totalSteps: 10);
        s.Apply(optimizer, 5);
        Assert.Equal(0.25, optimizer.ParamGroups.Single().LearningRate, 12);
    }

    [Fact]
    public void InvalidSchedulesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(ScheduleKind.Cosine, 0.1, totalSteps: 10, warmupSteps: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(ScheduleKind.Cosine, 0.1, totalSteps: 10, minLearningRate: 0.2));
    }
}
