namespace Faceprint.Evaluation;

/// <summary>A verification pair after scoring: the similarity of its two faces, its label and its fold.</summary>
/// <param name="Score">
/// Similarity, higher meaning more alike; <c>null</c> when no score exists (a face was not found).
/// A pair is predicted "same" when its score is strictly greater than the threshold, so a missing score is never "same".
/// </param>
/// <param name="Same"><c>true</c> when both images show the same person.</param>
/// <param name="Fold">Cross-validation fold id; leave <c>null</c> on every pair to have folds assigned round-robin.</param>
public readonly record struct ScoredPair(double? Score, bool Same, int? Fold = null);
