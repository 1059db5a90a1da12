namespace Faceprint.Training.Trainer;

/// <summary>What a call to <see cref="FaceTrainer.Run"/> achieved.</summary>
/// <param name="Steps">Total steps done (including those before a resume).</param>
/// <param name="Completed">Whether the run reached its last epoch (false when stopped early).</param>
/// <param name="LastLoss">Loss of the last step, NaN when no step ran.</param>
/// <param name="LastAccuracy">Accuracy of the last validation, or <c>null</c>.</param>
/// <param name="BestAccuracy">Best validation accuracy so far, or <c>null</c>.</param>
/// <param name="BestStep">Step of <paramref name="BestAccuracy"/>.</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record TrainingSummary(long Steps, bool Completed, double LastLoss, double? LastAccuracy, double? BestAccuracy, long BestStep, TimeSpan Elapsed);
