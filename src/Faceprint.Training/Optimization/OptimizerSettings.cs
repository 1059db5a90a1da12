namespace Faceprint.Training.Optimization;

/// <summary>Optimizer hyper-parameters.</summary>
/// <param name="Kind">AdamW or SGD.</param>
/// <param name="LearningRate">Peak learning rate (reached at the end of warm-up).</param>
/// <param name="WeightDecay">Weight decay (decoupled for AdamW, L2 for SGD).</param>
/// <param name="Momentum">SGD momentum; ignored by AdamW.</param>
/// <param name="Beta1">AdamW's first-moment decay.</param>
/// <param name="Beta2">AdamW's second-moment decay.</param>
/// <param name="Epsilon">AdamW's denominator guard.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind,
    double LearningRate,
    double WeightDecay,
    double Momentum = 0.9,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8);
