namespace Faceprint.Evaluation;

/// <summary>The outcome of one cross-validation round: the threshold chosen on the other folds and how it did on this one.</summary>
/// <param name="Fold">Id of the held-out fold.</param>
/// <param name="Threshold">Threshold that maximised accuracy on the other folds; "same" means score &gt; threshold.</param>
/// <param name="TrainAccuracy">Accuracy of <paramref name="Threshold"/> on the other folds.</param>
/// <param name="TestAccuracy">Accuracy of <paramref name="Threshold"/> on the held-out fold.</param>
/// <param name="TestPairs">Number of pairs in the held-out fold.</param>
public sealed record FoldResult(int Fold, double Threshold, double TrainAccuracy, double TestAccuracy, int TestPairs);
