namespace Faceprint.Evaluation;

/// <summary>Settings of <see cref="TenFoldEvaluator"/>.</summary>
public sealed record VerificationOptions
{
    /// <summary>Number of folds assigned round-robin when the pairs carry no fold ids; ignored otherwise. At least 2.</summary>
    public int FoldCount { get; init; } = TenFoldEvaluator.DefaultFoldCount;

    /// <summary>How pairs without a score are treated.</summary>
    public MissingScorePolicy MissingScores { get; init; } = MissingScorePolicy.CountAsDifferent;
}
