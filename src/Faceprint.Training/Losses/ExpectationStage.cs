namespace Faceprint.Training.Losses;

/// <summary>
/// LVFace's stable stage: from <see cref="SwitchEpoch"/> on, class centres stop being learned and become running
/// expectations of their classes' normalised features, P ← α·P + (1−α)·mean, scored against every class (no sampling).
/// </summary>
/// <param name="SwitchEpoch">First epoch (0-based) of the stable stage.</param>
/// <param name="Momentum">α, the weight of the old centre.</param>
public sealed record ExpectationStage(int SwitchEpoch, double Momentum = 0.9);
