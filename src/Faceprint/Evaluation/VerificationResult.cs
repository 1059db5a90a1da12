namespace Faceprint.Evaluation;

/// <summary>Result of the k-fold face-verification protocol.</summary>
/// <param name="Folds">One entry per fold, in ascending fold id order.</param>
/// <param name="MeanAccuracy">Mean of the held-out fold accuracies.</param>
/// <param name="AccuracyStd">
/// Population standard deviation (divides by the number of folds) of the held-out accuracies,
/// as numpy's <c>std</c> computes it in the InsightFace evaluation, so the numbers compare.
/// </param>
/// <param name="BestThreshold">Threshold maximising accuracy over all evaluated pairs (optimistic: chosen on the test data).</param>
/// <param name="BestAccuracy">Accuracy at <paramref name="BestThreshold"/> over all evaluated pairs.</param>
/// <param name="PairCount">Number of pairs evaluated (after excluding unscored pairs, if asked to).</param>
/// <param name="MissingScoreCount">Number of input pairs without a score, whether counted or excluded.</param>
/// <param name="MissingScores">How the pairs without a score were treated.</param>
public sealed record VerificationResult(
    IReadOnlyList<FoldResult> Folds,
    double MeanAccuracy,
    double AccuracyStd,
    double BestThreshold,
    double BestAccuracy,
    int PairCount,
    int MissingScoreCount,
    MissingScorePolicy MissingScores);
