using CsCheck;
using Faceprint.Evaluation;

namespace Faceprint.Tests.Evaluation;

public sealed class EvaluationPropertyTests
{
    // Scores on a coarse grid so ties, including across classes, are common; about one pair in eight has no score.
    private static readonly Gen<ScoredPair> Pair =
        Gen.Select(Gen.Int[-12, 12], Gen.Bool, Gen.Int[0, 7], Gen.Int[0, 3],
            (score, same, missing, fold) => new ScoredPair(missing == 0 ? null : score / 4.0, same, fold));

    private static readonly Gen<ScoredPair> ScoredOnly =
        Gen.Select(Gen.Int[-12, 12], Gen.Bool, Gen.Int[0, 3], (score, same, fold) => new ScoredPair(score / 4.0, same, fold));

    /// <summary>Pair lists with at least two folds and both classes.</summary>
    private static Gen<ScoredPair[]> Pairs(Gen<ScoredPair> pair) =>
        pair.Array[2, 60].Where(ps => ps.Select(p => p.Fold).Distinct().Count() >= 2
                                      && ps.Any(p => p.Same) && ps.Any(p => !p.Same));

    private static double BruteForceBest(IReadOnlyList<ScoredPair> pairs) =>
        ThresholdSearch.CandidateThresholds(pairs.Select(p => p.Score)).Select(t => ThresholdSearch.Accuracy(pairs, t))
            .DefaultIfEmpty(ThresholdSearch.Accuracy(pairs, double.PositiveInfinity)).Max();

    [Fact]
    public void AccuraciesAreFractions()
    {
        Pairs(Pair).Sample(pairs =>
        {
            foreach (var policy in new[] { MissingScorePolicy.CountAsDifferent, MissingScorePolicy.Exclude })
            {
                if (policy == MissingScorePolicy.Exclude && pairs.Where(p => p.Score is not null).Select(p => p.Fold).Distinct().Count() < 2)
                    continue;
                var r = TenFoldEvaluator.Evaluate(pairs, new VerificationOptions { MissingScores = policy });
                Assert.All(r.Folds, f => Assert.InRange(f.TestAccuracy, 0, 1));
                Assert.All(r.Folds, f => Assert.InRange(f.TrainAccuracy, 0, 1));
                Assert.InRange(r.MeanAccuracy, 0, 1);
                Assert.InRange(r.AccuracyStd, 0, 0.5);
                Assert.InRange(r.BestAccuracy, 0, 1);
            }
        });
    }

    [Fact]
    public void ChosenThresholdIsAsGoodAsAnyOnTheTrainingFolds()
    {
        Pairs(Pair).Sample(pairs =>
        {
            var result = TenFoldEvaluator.Evaluate(pairs);
            foreach (var fold in result.Folds)
            {
                var train = pairs.Where(p => p.Fold != fold.Fold).ToList();
                var brute = BruteForceBest(train);
                Assert.Equal(brute, fold.TrainAccuracy);
                Assert.Equal(brute, ThresholdSearch.Accuracy(train, fold.Threshold));
                // The candidates cover every threshold: scores themselves and arbitrary probes do no better.
                foreach (var probe in train.Where(p => p.Score is not null).Select(p => p.Score!.Value).Concat([-100, -3.1, 0.01, 2.9, 100]))
                    Assert.True(ThresholdSearch.Accuracy(train, probe) <= brute);
            }
            Assert.Equal(BruteForceBest(pairs), result.BestAccuracy);
            Assert.Equal(result.BestAccuracy, ThresholdSearch.Accuracy(pairs, result.BestThreshold));
        });
    }

    [Fact]
    public void AccuracyIsInvariantUnderMonotoneTransforms()
    {
        // Any strictly increasing map keeps the score ranking, hence every accuracy measured where the threshold was
        // chosen (training folds, all pairs) and the whole ROC curve.
        Func<double, double>[] transforms = [x => 3 * x - 7, x => x * x * x + x, Math.Exp, x => Math.Atan(x / 4)];
        Gen.Select(Pairs(Pair), Gen.Int[0, transforms.Length - 1]).Sample((pairs, t) =>
        {
            var f = transforms[t];
            var transformed = pairs.Select(p => p with { Score = p.Score is { } s ? f(s) : null }).ToArray();
            var a = TenFoldEvaluator.Evaluate(pairs);
            var b = TenFoldEvaluator.Evaluate(transformed);
            Assert.Equal(a.Folds.Select(x => x.TrainAccuracy), b.Folds.Select(x => x.TrainAccuracy));
            Assert.Equal(a.BestAccuracy, b.BestAccuracy);
            var rocA = RocCurve.Compute(pairs);
            var rocB = RocCurve.Compute(transformed);
            Assert.Equal(rocA.Points.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)), rocB.Points.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)));
            Assert.Equal(rocA.Auc, rocB.Auc);
            Assert.Equal(rocA.EqualErrorRate, rocB.EqualErrorRate);
        });
    }

    [Fact]
    public void HeldOutAccuracyIsInvariantUnderIncreasingAffineTransforms()
    {
        // Affine maps also carry midpoints to midpoints, so held-out scores fall on the same side of the threshold.
        // (A non-linear map can move a held-out score lying between two training scores across their midpoint.)
        Gen.Select(Pairs(Pair), Gen.Int[1, 8], Gen.Int[-20, 20]).Sample((pairs, scale, shift) =>
        {
            var transformed = pairs.Select(p => p with { Score = p.Score * scale + shift }).ToArray();
            var a = TenFoldEvaluator.Evaluate(pairs);
            var b = TenFoldEvaluator.Evaluate(transformed);
            Assert.Equal(a.Folds.Select(x => x.TestAccuracy), b.Folds.Select(x => x.TestAccuracy));
            Assert.Equal(a.MeanAccuracy, b.MeanAccuracy);
            Assert.Equal(a.AccuracyStd, b.AccuracyStd);
            Assert.Equal(a.BestAccuracy, b.BestAccuracy);
            Assert.Equal(a.BestThreshold * scale + shift, b.BestThreshold, 9);
        });
    }

    [Fact]
    public void ReversingScoresComplementsTheAuc()
    {
        Pairs(ScoredOnly).Sample(pairs =>
        {
            var reversed = pairs.Select(p => p with { Score = -p.Score }).ToArray();
            Assert.Equal(1 - RocCurve.Compute(pairs).Auc, RocCurve.Compute(reversed).Auc, 12);
        });
    }

    [Fact]
    public void AucIsTheProbabilityThatSameOutscoresDifferent()
    {
        Pairs(Pair).Sample(pairs =>
        {
            // Mann–Whitney count with unscored pairs as −∞ and ties as one half.
            var same = pairs.Where(p => p.Same).Select(p => p.Score ?? double.NegativeInfinity).ToList();
            var different = pairs.Where(p => !p.Same).Select(p => p.Score ?? double.NegativeInfinity).ToList();
            var wins = same.Sum(s => different.Sum(d => s > d ? 1.0 : s == d ? 0.5 : 0));
            Assert.Equal(wins / (same.Count * different.Count), RocCurve.Compute(pairs).Auc, 12);
        });
    }

    [Fact]
    public void TarAtFarIsTheBestPointWithinTheTarget()
    {
        Gen.Select(Pairs(Pair), Gen.Double[0, 1]).Sample((pairs, far) =>
        {
            var roc = RocCurve.Compute(pairs);
            var point = roc.AtFalseAcceptRate(far);
            Assert.True(point.FalsePositiveRate <= far);
            Assert.Equal(roc.Points.Where(p => p.FalsePositiveRate <= far).Max(p => p.TruePositiveRate), point.TruePositiveRate);
            Assert.InRange(roc.EqualErrorRate, 0, 1);
            // Away from the closing −∞ point, the threshold reproduces the point's rates.
            if (!double.IsNegativeInfinity(point.Threshold))
            {
                var accepted = pairs.Where(p => ThresholdSearch.PredictsSame(p.Score, point.Threshold)).ToList();
                Assert.Equal(point.TruePositiveRate, (double)accepted.Count(p => p.Same) / roc.Positives, 12);
                Assert.Equal(point.FalsePositiveRate, (double)accepted.Count(p => !p.Same) / roc.Negatives, 12);
            }
        });
    }

    [Fact]
    public void RoundRobinFoldsHoldBothClassesEvenly()
    {
        Gen.Select(Gen.Bool.Array[0, 200], Gen.Int[2, 10]).Sample((same, k) =>
        {
            int positives = same.Count(s => s), negatives = same.Length - positives;
            if (positives < k || negatives < k)
            {
                Assert.Throws<FaceprintException>(() => TenFoldEvaluator.AssignFolds(same, k));
                return;
            }
            var folds = TenFoldEvaluator.AssignFolds(same, k);
            for (var f = 0; f < k; f++)
            {
                var inFoldSame = same.Where((s, i) => s && folds[i] == f).Count();
                var inFoldDifferent = same.Where((s, i) => !s && folds[i] == f).Count();
                Assert.InRange(inFoldSame, positives / k, (positives + k - 1) / k);
                Assert.InRange(inFoldDifferent, negatives / k, (negatives + k - 1) / k);
            }
        });
    }
}
