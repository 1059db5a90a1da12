using Faceprint.Evaluation;

namespace Faceprint.Tests.Evaluation;

public sealed class ThresholdSearchTests
{
    [Fact]
    public void CandidatesAreEndsAndMidpointsOfDistinctScores()
    {
        var candidates = ThresholdSearch.CandidateThresholds([0.5, null, 0.1, 0.5, 0.3]);
        Assert.Equal(4, candidates.Count);
        Assert.True(candidates[0] < 0.1 && candidates[0] > 0.1 - 1e-15);
        Assert.Equal(0.2, candidates[1], 15);
        Assert.Equal(0.4, candidates[2], 15);
        Assert.True(candidates[3] > 0.5 && candidates[3] < 0.5 + 1e-15);
        Assert.Empty(ThresholdSearch.CandidateThresholds([null, null]));
    }

    [Fact]
    public void NeighbouringDoublesAreStillSeparated()
    {
        var a = 1.0;
        var b = Math.BitIncrement(a);
        ScoredPair[] pairs = [new(a, false), new(b, true)];
        var (threshold, accuracy) = ThresholdSearch.FindBest(pairs);
        Assert.Equal(1.0, accuracy);
        Assert.False(ThresholdSearch.PredictsSame(a, threshold));
        Assert.True(ThresholdSearch.PredictsSame(b, threshold));
    }

    [Fact]
    public void ExtremeScoresDoNotOverflow()
    {
        ScoredPair[] pairs = [new(-double.MaxValue, false), new(double.MaxValue, true)];
        var (threshold, accuracy) = ThresholdSearch.FindBest(pairs);
        Assert.Equal(1.0, accuracy);
        Assert.True(double.IsFinite(threshold));
    }

    [Fact]
    public void AllScoresEqualGivesAcceptAllOrRejectAll()
    {
        ScoredPair[] pairs = [new(0.5, true), new(0.5, true), new(0.5, false)];
        var (threshold, accuracy) = ThresholdSearch.FindBest(pairs);
        Assert.Equal(2.0 / 3, accuracy, 15);
        Assert.True(threshold < 0.5);
    }

    [Fact]
    public void NoScoresRejectsEverything()
    {
        ScoredPair[] pairs = [new(null, true), new(null, false), new(null, false)];
        var (threshold, accuracy) = ThresholdSearch.FindBest(pairs);
        Assert.Equal(double.PositiveInfinity, threshold);
        Assert.Equal(2.0 / 3, accuracy, 15);
    }

    [Fact]
    public void MissingScoreIsNeverSame()
    {
        Assert.False(ThresholdSearch.PredictsSame(null, double.NegativeInfinity));
        Assert.False(ThresholdSearch.PredictsSame(0.5, 0.5));
        Assert.True(ThresholdSearch.PredictsSame(0.5, 0.4999));
    }
}
