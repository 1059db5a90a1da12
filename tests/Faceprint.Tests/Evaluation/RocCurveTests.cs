using Faceprint.Evaluation;

namespace Faceprint.Tests.Evaluation;

public sealed class RocCurveTests
{
    // Same .9 .8 .4, different .5 .3: five of the six same/different orderings are right.
    private static readonly ScoredPair[] Small =
    [
        new(0.9, true), new(0.8, true), new(0.4, true), new(0.5, false), new(0.3, false),
    ];

    [Fact]
    public void SmallCaseKnownAnswers()
    {
        var roc = RocCurve.Compute(Small);

        Assert.Equal(
            [(0.0, 0.0), (0.0, 1 / 3.0), (0.0, 2 / 3.0), (0.5, 2 / 3.0), (0.5, 1.0), (1.0, 1.0)],
            roc.Points.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)));
        Assert.Equal(5 / 6.0, roc.Auc, 12);
        // FAR = FRR on the segment (0, 2/3)–(0.5, 2/3): at FAR 1/3.
        Assert.Equal(1 / 3.0, roc.EqualErrorRate, 12);

        var atTenth = roc.AtFalseAcceptRate(0.1);
        Assert.Equal(2 / 3.0, atTenth.TruePositiveRate, 12);
        Assert.Equal(0.65, atTenth.Threshold, 12); // accepts .9 and .8, rejects .5
        Assert.Equal(1.0, roc.TarAtFar(0.5));
        Assert.Equal(0.35, roc.AtFalseAcceptRate(0.5).Threshold, 12);
        Assert.Equal(2 / 3.0, roc.TarAtFar(0), 12);
        Assert.Equal(3, roc.Positives);
        Assert.Equal(2, roc.Negatives);
    }

    [Fact]
    public void PerfectSeparationHasAucOneAndNoEqualError()
    {
        var roc = RocCurve.Compute([new(0.9, true), new(0.8, true), new(0.1, false), new(0.2, false)]);
        Assert.Equal(1.0, roc.Auc);
        Assert.Equal(0.0, roc.EqualErrorRate);
        Assert.Equal(1.0, roc.TarAtFar(1e-3));
    }

    [Fact]
    public void TarAtFarNeverExceedsTheTargetFar()
    {
        // 1000 different pairs: FAR 1e-3 allows exactly one false accept, 1e-4 none.
        var pairs = new List<ScoredPair>();
        for (var i = 0; i < 1000; i++)
        {
            pairs.Add(new ScoredPair(i / 1000.0, false));
            pairs.Add(new ScoredPair(i / 1000.0 + 0.0005, true));
        }
        var roc = RocCurve.Compute(pairs);

        var at3 = roc.AtFalseAcceptRate(1e-3);
        Assert.Equal(1e-3, at3.FalsePositiveRate);
        Assert.Equal(2 / 1000.0, at3.TruePositiveRate, 12); // same scores above .999: .9985 and .9995
        Assert.Equal(0.0, roc.AtFalseAcceptRate(1e-4).FalsePositiveRate);
        Assert.Equal(1 / 1000.0, roc.TarAtFar(1e-4), 12);
        Assert.Equal(0.1, roc.AtFalseAcceptRate(0.1).FalsePositiveRate, 12);
    }

    [Fact]
    public void MissingScoresRankBelowEverything()
    {
        ScoredPair[] pairs = [new(0.9, true), new(null, true), new(0.1, false), new(null, false)];
        var roc = RocCurve.Compute(pairs);
        // Same beats different in: .9>.1, .9>null, null<.1 (lost), null=null (half) → 2.5 / 4.
        Assert.Equal(0.625, roc.Auc, 12);
        Assert.Equal((1.0, 1.0), (roc.Points[^1].FalsePositiveRate, roc.Points[^1].TruePositiveRate));
        Assert.Equal(double.NegativeInfinity, roc.Points[^1].Threshold);
        Assert.Equal(2, roc.MissingScoreCount);

        var excluded = RocCurve.Compute(pairs, MissingScorePolicy.Exclude);
        Assert.Equal(1.0, excluded.Auc);
        Assert.Equal(1, excluded.Positives);
    }

    [Fact]
    public void OneClassOnlyIsAnError()
    {
        Assert.Throws<FaceprintException>(() => RocCurve.Compute([new(0.9, true), new(0.8, true)]));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void FarOutsideUnitIntervalIsRejected(double far)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocCurve.Compute(Small).AtFalseAcceptRate(far));
    }
}
