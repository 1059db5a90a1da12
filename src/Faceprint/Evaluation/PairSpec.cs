namespace Faceprint.Evaluation;

/// <summary>One verification pair from a pairs file: two image paths, whether they show the same person, and its fold.</summary>
/// <param name="PathA">Path of the first image.</param>
/// <param name="PathB">Path of the second image.</param>
/// <param name="Same"><c>true</c> for a matched pair (same person), <c>false</c> for a mismatched one.</param>
/// <param name="Fold">0-based cross-validation fold the pair belongs to.</param>
public sealed record PairSpec(string PathA, string PathB, bool Same, int Fold);
