using Faceprint.Evaluation;

namespace Faceprint.Tests.Evaluation;

public sealed class TenFoldEvaluatorTests
{
    private static ScoredPair S(double? score, int fold) => new(score, true, fold);
    private static ScoredPair D(double? score, int fold) => new(score, false, fold);

    [Fact]
    public void PerfectlySeparableScoresGiveAccuracyOneAndNoSpread()
    {
        var pairs = new List<ScoredPair>();
        for (var fold = 0; fold < 10; fold++)
            for (var i = 0; i < 30; i++)
            {
                pairs.Add(S(0.6 + i * 0.01 + fold * 0.001, fold));
                pairs.Add(D(-0.2 + i * 0.01 + fold * 0.001, fold));
            }

        var result = TenFoldEvaluator.Evaluate(pairs);

        Assert.Equal(10, result.Folds.Count);
        Assert.All(result.Folds, f => Assert.Equal(1.0, f.TestAccuracy));
        Assert.All(result.Folds, f => Assert.Equal(1.0, f.TrainAccuracy));
        Assert.All(result.Folds, f => Assert.Equal(60, f.TestPairs));
        Assert.Equal(1.0, result.MeanAccuracy);
        Assert.Equal(0.0, result.AccuracyStd);
        Assert.Equal(1.0, result.BestAccuracy);
        // Best threshold is the midpoint of the gap between the highest different and lowest same score.
        Assert.Equal((0.6 + (-0.2 + 29 * 0.01 + 9 * 0.001)) / 2, result.BestThreshold, 12);
    }

    [Fact]
    public void HandComputedTwoFoldCase()
    {
        // Fold 0: same .9 .4, different .5 .1.  Fold 1: same .8 .3, different .2 .1.
        // Train on fold 1 → threshold .25 (accuracy 1); on fold 0 it misses the different .5 → 3/4.
        // Train on fold 0: candidates .05→2/4, .25→3/4, .45→2/4, .7→3/4; the lowest best is .25; fold 1 then scores 4/4.
        ScoredPair[] pairs =
        [
            S(0.9, 0), S(0.4, 0), D(0.5, 0), D(0.1, 0),
            S(0.8, 1), S(0.3, 1), D(0.2, 1), D(0.1, 1),
        ];

        var result = TenFoldEvaluator.Evaluate(pairs);

        Assert.Equal([0, 1], result.Folds.Select(f => f.Fold));
        Assert.Equal(0.25, result.Folds[0].Threshold, 12);
        Assert.Equal(1.0, result.Folds[0].TrainAccuracy);
        Assert.Equal(0.75, result.Folds[0].TestAccuracy);
        Assert.Equal(0.25, result.Folds[1].Threshold, 12);
        Assert.Equal(0.75, result.Folds[1].TrainAccuracy);
        Assert.Equal(1.0, result.Folds[1].TestAccuracy);
        Assert.Equal(0.875, result.MeanAccuracy, 12);
        Assert.Equal(0.125, result.AccuracyStd, 12); // population std; the sample std would be 0.1768
        // All eight: .1 .1 .2 are different, .3 .4 same, .5 different, .8 .9 same → best 7/8 at .25.
        Assert.Equal(0.25, result.BestThreshold, 12);
        Assert.Equal(0.875, result.BestAccuracy);
        Assert.Equal(8, result.PairCount);
    }

    [Fact]
    public void MissingScoresCountAsDifferentByDefault()
    {
        ScoredPair[] pairs =
        [
            S(0.9, 0), S(null, 0), D(0.1, 0), D(null, 0),
            S(0.8, 1), S(0.7, 1), D(0.2, 1), D(0.3, 1),
        ];

        var counted = TenFoldEvaluator.Evaluate(pairs);
        // Fold 0 with any separating threshold: the unscored same pair is an error, the unscored different one is right.
        Assert.Equal(0.75, counted.Folds[0].TestAccuracy);
        Assert.Equal(1.0, counted.Folds[1].TestAccuracy);
        Assert.Equal(8, counted.PairCount);
        Assert.Equal(2, counted.MissingScoreCount);
        Assert.Equal(MissingScorePolicy.CountAsDifferent, counted.MissingScores);

        var excluded = TenFoldEvaluator.Evaluate(pairs, new VerificationOptions { MissingScores = MissingScorePolicy.Exclude });
        Assert.Equal(1.0, excluded.Folds[0].TestAccuracy);
        Assert.Equal(2, excluded.Folds[0].TestPairs);
        Assert.Equal(6, excluded.PairCount);
        Assert.Equal(2, excluded.MissingScoreCount);
        Assert.Equal(1.0, excluded.MeanAccuracy);
    }

    [Fact]
    public void FoldsAreAssignedRoundRobinByClassWhenNotGiven()
    {
        bool[] same = [true, true, true, false, false, true, false, false, true, false];
        Assert.Equal([0, 1, 0, 0, 1, 1, 0, 1, 0, 0], TenFoldEvaluator.AssignFolds(same, 2));

        var pairs = Enumerable.Range(0, 40).Select(i => new ScoredPair(i % 2 == 0 ? 1.0 + i : -1.0 - i, i % 2 == 0)).ToList();
        var result = TenFoldEvaluator.Evaluate(pairs, new VerificationOptions { FoldCount = 4 });
        Assert.Equal(4, result.Folds.Count);
        Assert.All(result.Folds, f => Assert.Equal(10, f.TestPairs));
        Assert.Equal(1.0, result.MeanAccuracy);
    }

    [Fact]
    public void TooFewPairsPerClassForTheFoldsIsAnError()
    {
        var pairs = Enumerable.Range(0, 12).Select(i => new ScoredPair(i, i < 9)).ToList();
        var error = Assert.Throws<FaceprintException>(() => TenFoldEvaluator.Evaluate(pairs));
        Assert.Contains("10 same and 10 different", error.Message);
    }

    [Fact]
    public void OneFoldIsAnError()
    {
        ScoredPair[] pairs = [S(0.9, 0), D(0.1, 0)];
        var error = Assert.Throws<FaceprintException>(() => TenFoldEvaluator.Evaluate(pairs));
        Assert.Contains("one fold", error.Message);
    }

    [Fact]
    public void MixedFoldIdsAreRejected()
    {
        ScoredPair[] pairs = [S(0.9, 0), new(0.1, false)];
        Assert.Throws<ArgumentException>(() => TenFoldEvaluator.Evaluate(pairs));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteScoresAreRejected(double score)
    {
        ScoredPair[] pairs = [S(score, 0), D(0.1, 0), S(0.9, 1), D(0.1, 1)];
        Assert.Throws<ArgumentException>(() => TenFoldEvaluator.Evaluate(pairs));
    }
}
