namespace Faceprint.Training.Trainer;

/// <summary>Reported after every step.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">Epoch of the step just taken (0-based).</param>
/// <param name="Loss">Loss of the step just taken.</param>
/// <param name="LearningRate">Learning rate of the step just taken.</param>
/// <param name="ValidationAccuracy">Accuracy of a validation run just after this step, else <c>null</c>.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, int Epoch, double Loss, double LearningRate, double? ValidationAccuracy);
