using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Optimization;

/// <summary>Creates the configured optimizer over a set of parameters.</summary>
public static class OptimizerFactory
{
    /// <summary>An optimizer for <paramref name="parameters"/> (one group; the schedule sets its learning rate every step).</summary>
    public static OptimizerHelper Create(IEnumerable<Parameter> parameters, OptimizerSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.LearningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.WeightDecay);
        return settings.Kind switch
        {
            OptimizerKind.AdamW => optim.AdamW(parameters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon, settings.WeightDecay),
            OptimizerKind.Sgd => optim.SGD(parameters, settings.LearningRate, settings.Momentum, 0, settings.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown optimizer"),
        };
    }
}
