namespace Faceprint.Evaluation;

/// <summary>
/// The LFW-style k-fold verification protocol: for each fold, the threshold is chosen on the other folds
/// (exactly, see <see cref="ThresholdSearch"/>) and accuracy is measured on the held-out fold.
/// </summary>
public static class TenFoldEvaluator
{
    /// <summary>Fold count of the LFW protocol.</summary>
    public const int DefaultFoldCount = 10;

    /// <summary>Runs the protocol over <paramref name="pairs"/>.</summary>
    /// <param name="pairs">
    /// Scored pairs. Either every pair carries a fold id, or none does and folds are assigned with <see cref="AssignFolds"/>
    /// over all pairs, before any unscored pair is excluded, so fold membership does not depend on the detector.
    /// </param>
    /// <param name="options">Fold count and missing-score treatment; defaults when <c>null</c>.</param>
    /// <exception cref="ArgumentException">A score is NaN or infinite, or only some pairs carry a fold id.</exception>
    /// <exception cref="FaceprintException">There are too few pairs or folds to evaluate.</exception>
    public static VerificationResult Evaluate(IReadOnlyList<ScoredPair> pairs, VerificationOptions? options = null)
    {
        options ??= new VerificationOptions();
        var withFold = pairs.Count(p => p.Fold is not null);
        if (withFold != 0 && withFold != pairs.Count)
            throw new ArgumentException($"{withFold} of {pairs.Count} pairs carry a fold id; give it on all pairs or on none", nameof(pairs));
        foreach (var p in pairs)
            if (p.Score is { } s)
                ThresholdSearch.RequireFinite(s);

        int[] folds = withFold == 0
            ? AssignFolds(pairs.Select(p => p.Same).ToArray(), options.FoldCount)
            : pairs.Select(p => p.Fold!.Value).ToArray();

        var missing = pairs.Count(p => p.Score is null);
        var kept = new List<ScoredPair>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
            if (pairs[i].Score is not null || options.MissingScores == MissingScorePolicy.CountAsDifferent)
                kept.Add(pairs[i] with { Fold = folds[i] });
        if (kept.Count == 0)
            throw new FaceprintException("no pairs to evaluate");

        var foldIds = kept.Select(p => p.Fold!.Value).Distinct().Order().ToArray();
        if (foldIds.Length < 2)
            throw new FaceprintException($"all {kept.Count} pairs are in one fold; cross-validation needs at least 2 (leave fold ids unset to assign {options.FoldCount} round-robin)");

        var results = new List<FoldResult>(foldIds.Length);
        foreach (var fold in foldIds)
        {
            var train = kept.Where(p => p.Fold != fold).ToList();
            var test = kept.Where(p => p.Fold == fold).ToList();
            var (threshold, trainAccuracy) = ThresholdSearch.FindBest(train);
            results.Add(new FoldResult(fold, threshold, trainAccuracy, ThresholdSearch.Accuracy(test, threshold), test.Count));
        }

        var mean = results.Average(r => r.TestAccuracy);
        // Population std (divide by k), as numpy.std in the InsightFace LFW evaluation.
        var std = Math.Sqrt(results.Average(r => (r.TestAccuracy - mean) * (r.TestAccuracy - mean)));
        var (bestThreshold, bestAccuracy) = ThresholdSearch.FindBest(kept);
        return new VerificationResult(results, mean, std, bestThreshold, bestAccuracy, kept.Count, missing, options.MissingScores);
    }

    /// <summary>
    /// Assigns folds round-robin within each class: the k-th same pair and the k-th different pair both go to fold
    /// k mod <paramref name="foldCount"/>, so every fold holds both classes in near-equal numbers.
    /// </summary>
    /// <param name="same">Label of each pair, in order.</param>
    /// <param name="foldCount">Number of folds, at least 2.</param>
    /// <returns>0-based fold of each pair.</returns>
    /// <exception cref="FaceprintException">A class has fewer pairs than there are folds.</exception>
    public static int[] AssignFolds(IReadOnlyList<bool> same, int foldCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        var positives = same.Count(s => s);
        var negatives = same.Count - positives;
        if (positives < foldCount || negatives < foldCount)
            throw new FaceprintException($"{foldCount}-fold evaluation needs at least {foldCount} same and {foldCount} different pairs, got {positives} and {negatives}");

        var folds = new int[same.Count];
        int nextSame = 0, nextDifferent = 0;
        for (var i = 0; i < folds.Length; i++)
            folds[i] = same[i] ? nextSame++ % foldCount : nextDifferent++ % foldCount;
        return folds;
    }
}
