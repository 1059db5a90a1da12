namespace Faceprint.Evaluation;

/// <summary>
/// Receiver operating characteristic of scored verification pairs, with the same acceptance rule as
/// <see cref="ThresholdSearch"/>: a pair is accepted when its score is strictly greater than the threshold.
/// </summary>
public sealed class RocCurve
{
    private RocCurve(IReadOnlyList<RocPoint> points, int positives, int negatives, int missing)
    {
        Points = points;
        Positives = positives;
        Negatives = negatives;
        MissingScoreCount = missing;
        Auc = ComputeAuc(points);
        EqualErrorRate = ComputeEer(points);
    }

    /// <summary>
    /// Operating points from (0, 0) to (1, 1), by decreasing threshold, one per candidate threshold of
    /// <see cref="ThresholdSearch.CandidateThresholds"/>. When unscored pairs are counted, a last point at threshold −∞
    /// accepts them too, as if their score were −∞, so the curve still ends at (1, 1).
    /// </summary>
    public IReadOnlyList<RocPoint> Points { get; }

    /// <summary>Number of same-person pairs in the curve.</summary>
    public int Positives { get; }

    /// <summary>Number of different-person pairs in the curve.</summary>
    public int Negatives { get; }

    /// <summary>Number of pairs without a score in the input, whether counted or excluded.</summary>
    public int MissingScoreCount { get; }

    /// <summary>
    /// Area under the curve by the trapezoid rule; equals the probability that a random same pair outscores a random
    /// different pair, ties counting one half.
    /// </summary>
    public double Auc { get; }

    /// <summary>
    /// The rate at which false acceptance equals false rejection, interpolated linearly on the segment of the curve
    /// where FAR − (1 − TAR) changes sign.
    /// </summary>
    public double EqualErrorRate { get; }

    /// <summary>Builds the curve of <paramref name="pairs"/>; fold ids are ignored.</summary>
    /// <param name="pairs">Scored pairs; both classes must be present.</param>
    /// <param name="missingScores">Whether unscored pairs count (as the lowest possible score) or are dropped.</param>
    /// <exception cref="ArgumentException">A score is NaN or infinite.</exception>
    /// <exception cref="FaceprintException">There is no same pair or no different pair.</exception>
    public static RocCurve Compute(IReadOnlyList<ScoredPair> pairs, MissingScorePolicy missingScores = MissingScorePolicy.CountAsDifferent)
    {
        var missing = pairs.Count(p => p.Score is null);
        var kept = missingScores == MissingScorePolicy.Exclude ? pairs.Where(p => p.Score is not null).ToList() : pairs.ToList();
        var positives = kept.Count(p => p.Same);
        var negatives = kept.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new FaceprintException($"a ROC curve needs same and different pairs, got {positives} same and {negatives} different");

        var thresholds = ThresholdSearch.CandidateThresholds(kept.Select(p => p.Score));
        var scored = kept.Where(p => p.Score is not null).OrderByDescending(p => p.Score!.Value).ToList();

        var points = new List<RocPoint>(thresholds.Count + 2);
        int tp = 0, fp = 0, next = 0;
        // Walk thresholds downwards; each one admits the scored pairs above it that the previous one did not.
        for (var t = thresholds.Count - 1; t >= 0; t--)
        {
            for (; next < scored.Count && scored[next].Score!.Value > thresholds[t]; next++)
                if (scored[next].Same) tp++; else fp++;
            points.Add(new RocPoint(thresholds[t], (double)fp / negatives, (double)tp / positives));
        }
        if (points.Count == 0)
            points.Add(new RocPoint(double.PositiveInfinity, 0, 0));
        if (tp < positives || fp < negatives)
            points.Add(new RocPoint(double.NegativeInfinity, 1, 1)); // unscored pairs, ranked below every score
        return new RocCurve(points, positives, negatives, missing);
    }

    /// <summary>
    /// The operating point with the highest TAR whose FAR does not exceed <paramref name="far"/> (no interpolation,
    /// so with N different pairs a FAR below 1/N can only be met at zero false accepts).
    /// </summary>
    /// <param name="far">Largest acceptable false accept rate, in [0, 1].</param>
    public RocPoint AtFalseAcceptRate(double far)
    {
        if (!(far >= 0 && far <= 1))
            throw new ArgumentOutOfRangeException(nameof(far), far, "a false accept rate is in [0, 1]");
        // FPR and TPR never decrease along the curve, so the last admissible point has the highest TAR.
        var best = Points[0];
        foreach (var p in Points)
        {
            if (p.FalsePositiveRate > far)
                break;
            best = p;
        }
        return best;
    }

    /// <summary>True accept rate at a false accept rate of at most <paramref name="far"/>; see <see cref="AtFalseAcceptRate"/>.</summary>
    public double TarAtFar(double far) => AtFalseAcceptRate(far).TruePositiveRate;

    private static double ComputeAuc(IReadOnlyList<RocPoint> points)
    {
        var area = 0.0;
        for (var i = 1; i < points.Count; i++)
            area += (points[i].FalsePositiveRate - points[i - 1].FalsePositiveRate)
                    * (points[i].TruePositiveRate + points[i - 1].TruePositiveRate) / 2;
        return area;
    }

    private static double ComputeEer(IReadOnlyList<RocPoint> points)
    {
        // d = FAR − FRR rises from −1 at (0, 0) to +1 at (1, 1); find where it crosses zero.
        for (var i = 1; i < points.Count; i++)
        {
            var a = points[i - 1];
            var b = points[i];
            var db = b.FalsePositiveRate - (1 - b.TruePositiveRate);
            if (db < 0)
                continue;
            var da = a.FalsePositiveRate - (1 - a.TruePositiveRate);
            var alpha = da >= 0 ? 0 : -da / (db - da);
            return a.FalsePositiveRate + alpha * (b.FalsePositiveRate - a.FalsePositiveRate);
        }
        return 1; // unreachable: the last point is (1, 1)
    }
}
