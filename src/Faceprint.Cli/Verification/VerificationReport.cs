using Faceprint.Cli.Output;
using Faceprint.Engine;
using Faceprint.Evaluation;

namespace Faceprint.Cli.Verification;

/// <summary>Turns scored pairs into the report <c>eval pairs</c> and <c>eval bin</c> print: k-fold accuracy, ROC figures, plots.</summary>
internal static class VerificationReport
{
    /// <summary>False-accept rates the report gives the true-accept rate and threshold for.</summary>
    public static readonly double[] ReportedFars = [1e-1, 1e-2, 1e-3];

    /// <summary>Builds the report; <paramref name="plots"/> non-null also writes the ROC and score histogram there.</summary>
    public static EvalReport Build(
        FaceEngine engine, string source, string pairsFile, int pairCount, IReadOnlyList<ScoredPair> scored,
        IReadOnlyDictionary<string, ImageOutcome> outcomes, MissingScorePolicy policy, string? plots)
    {
        var verification = TenFoldEvaluator.Evaluate(scored, new VerificationOptions { MissingScores = policy });
        var roc = RocCurve.Compute(scored, policy);
        var kept = policy == MissingScorePolicy.Exclude ? scored.Where(p => p.Score is not null).ToList() : scored;
        var plotFiles = plots is null ? null : WritePlots(plots, roc, scored, verification.BestThreshold, engine.EmbedderId);

        var failed = outcomes.Where(o => o.Value.Failure is not null).OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => new FailedImageJson(o.Key, o.Value.Failure!)).ToList();
        var noFace = outcomes.Where(o => o.Value.Embedding is null && o.Value.Failure is null).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        return new EvalReport(
            engine.EmbedderId, source, pairsFile, pairCount, verification.PairCount, verification.MissingScoreCount,
            policy == MissingScorePolicy.Exclude ? "exclude" : "count-as-different",
            outcomes.Count, noFace.Count + failed.Count, noFace, failed,
            verification.MeanAccuracy, verification.AccuracyStd, verification.BestThreshold, verification.BestAccuracy,
            engine.HasThreshold ? engine.Threshold : null, engine.HasThreshold ? ThresholdSearch.Accuracy(kept, engine.Threshold) : null,
            roc.Auc, roc.EqualErrorRate,
            ReportedFars.Select(far => (far, point: roc.AtFalseAcceptRate(far))).Select(x => new TarAtFarJson(x.far, x.point.TruePositiveRate, x.point.Threshold)).ToList(),
            verification.Folds.Select(f => new FoldJson(f.Fold, f.Threshold, f.TrainAccuracy, f.TestAccuracy, f.TestPairs)).ToList(),
            plotFiles);
    }

    private static PlotsJson WritePlots(string folder, RocCurve roc, IReadOnlyList<ScoredPair> scored, double threshold, string label)
    {
        Directory.CreateDirectory(folder);
        string rocPath = Path.Combine(folder, "roc.png");
        EvaluationPlots.WriteRoc(rocPath, roc, label);
        // The histogram needs at least one score; with every face missed there is nothing to draw.
        if (!scored.Any(p => p.Score is not null))
            return new PlotsJson(rocPath, null);
        string histogramPath = Path.Combine(folder, "scores.png");
        EvaluationPlots.WriteScoreHistogram(histogramPath, scored, threshold);
        return new PlotsJson(rocPath, histogramPath);
    }
}
