namespace Faceprint.Evaluation;

/// <summary>
/// Exact accuracy-maximising threshold search. A pair is predicted "same" when its score is strictly greater
/// than the threshold; a pair without a score is never "same". Accuracy only changes between distinct scores, so the
/// candidates are: just below the lowest score, the midpoints between consecutive distinct scores, just above the highest.
/// </summary>
public static class ThresholdSearch
{
    /// <summary>Whether a pair with <paramref name="score"/> is predicted "same" at <paramref name="threshold"/>.</summary>
    public static bool PredictsSame(double? score, double threshold) => score is { } s && s > threshold;

    /// <summary>Fraction of <paramref name="pairs"/> whose prediction at <paramref name="threshold"/> matches its label.</summary>
    /// <exception cref="ArgumentException"><paramref name="pairs"/> is empty.</exception>
    public static double Accuracy(IReadOnlyList<ScoredPair> pairs, double threshold)
    {
        if (pairs.Count == 0)
            throw new ArgumentException("no pairs", nameof(pairs));
        var correct = 0;
        foreach (var p in pairs)
            if (PredictsSame(p.Score, threshold) == p.Same)
                correct++;
        return (double)correct / pairs.Count;
    }

    /// <summary>Every threshold that can give a distinct prediction, ascending; empty when no score is present.</summary>
    /// <exception cref="ArgumentException">A score is NaN or infinite.</exception>
    public static IReadOnlyList<double> CandidateThresholds(IEnumerable<double?> scores)
    {
        var distinct = DistinctSorted(scores);
        var candidates = new double[distinct.Length == 0 ? 0 : distinct.Length + 1];
        for (var i = 0; i < candidates.Length; i++)
            candidates[i] = Candidate(distinct, i);
        return candidates;
    }

    /// <summary>
    /// The threshold with the highest accuracy on <paramref name="pairs"/>; among ties the lowest one, as numpy's
    /// argmax picks the first. With no scored pair at all it is +∞ (everything "different").
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="pairs"/> is empty, or a score is NaN or infinite.</exception>
    public static (double Threshold, double Accuracy) FindBest(IReadOnlyList<ScoredPair> pairs)
    {
        if (pairs.Count == 0)
            throw new ArgumentException("no pairs", nameof(pairs));

        var scored = new List<(double Score, bool Same)>(pairs.Count);
        var correct = 0; // correct predictions at the lowest candidate, where every scored pair is "same"
        foreach (var p in pairs)
        {
            if (p.Score is { } s)
            {
                RequireFinite(s);
                scored.Add((s, p.Same));
                if (p.Same)
                    correct++;
            }
            else if (!p.Same)
            {
                correct++; // unscored pairs are always "different": right exactly when they are
            }
        }
        if (scored.Count == 0)
            return (double.PositiveInfinity, (double)correct / pairs.Count);

        scored.Sort((a, b) => a.Score.CompareTo(b.Score));
        var distinct = new List<double>();
        var best = correct;
        var bestIndex = 0;
        for (var i = 0; i < scored.Count;)
        {
            // Raising the threshold past one distinct score flips all pairs with that score to "different".
            var value = scored[i].Score;
            for (; i < scored.Count && scored[i].Score == value; i++)
                correct += scored[i].Same ? -1 : 1;
            distinct.Add(value);
            if (correct > best)
            {
                best = correct;
                bestIndex = distinct.Count;
            }
        }
        return (Candidate(distinct, bestIndex), (double)best / pairs.Count);
    }

    /// <summary>Candidate <paramref name="index"/> of 0..n for n ascending distinct scores.</summary>
    private static double Candidate(IReadOnlyList<double> distinct, int index)
    {
        if (index == 0)
            return Math.BitDecrement(distinct[0]);
        if (index == distinct.Count)
            return Math.BitIncrement(distinct[^1]);
        var a = distinct[index - 1];
        var b = distinct[index];
        // Halving first cannot overflow; rounding can still land on b for neighbouring doubles, and since
        // "same" is score > threshold, a itself separates a from b exactly.
        var mid = a / 2 + b / 2;
        return mid >= a && mid < b ? mid : a;
    }

    private static double[] DistinctSorted(IEnumerable<double?> scores)
    {
        var values = new List<double>();
        foreach (var score in scores)
            if (score is { } s)
            {
                RequireFinite(s);
                values.Add(s);
            }
        values.Sort();
        var distinct = new List<double>(values.Count);
        foreach (var v in values)
            if (distinct.Count == 0 || distinct[^1] != v)
                distinct.Add(v);
        return distinct.ToArray();
    }

    internal static void RequireFinite(double score)
    {
        if (!double.IsFinite(score))
            throw new ArgumentException($"score {score} is not finite; use null for a pair without a score");
    }
}
