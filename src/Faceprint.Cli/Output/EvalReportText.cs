namespace Faceprint.Cli.Output;

/// <summary>The readable text form of an <see cref="EvalReport"/>.</summary>
internal static class EvalReportText
{
    /// <summary>Writes the summary, then the images that had no usable face.</summary>
    public static void Write(TextWriter w, EvalReport r)
    {
        void Line(string label, FormattableString value) => w.WriteLine((label + ":").PadRight(17) + TextFormat.Invariant(value));

        string handling = r.MissingPolicy == "exclude" ? "their pairs excluded" : "their pairs counted as different";
        Line("model", $"{r.Model}");
        Line("pairs", $"{r.Pairs} ({r.EvaluatedPairs} evaluated, {r.MissingPairs} without a score), {r.Folds.Count} folds");
        Line("images", $"{r.Images}, {r.NoFace} without a face ({r.FailedImages.Count} unreadable), {handling}");
        Line("accuracy", $"{TextFormat.Percent(r.Accuracy)} ± {TextFormat.Percent(r.Std)} ({r.Folds.Count}-fold)");
        Line("best threshold", $"{r.Threshold:F4} (accuracy {TextFormat.Percent(r.BestAccuracy)} on all pairs, chosen on them)");
        if (r.ModelThreshold is { } modelThreshold)
            Line("model threshold", $"{modelThreshold:F4} (accuracy {TextFormat.Percent(r.ModelThresholdAccuracy!.Value)})");
        else
            Line("model threshold", $"none (a model of your own: pass --threshold)");
        Line("AUC", $"{r.Auc:F4}, EER {TextFormat.Percent(r.Eer)}");
        foreach (var t in r.TarAtFar)
            Line(TextFormat.Invariant($"TAR@FAR={t.Far:0.#e0}"), $"{TextFormat.Percent(t.Tar)}");
        if (r.Plots is { } plots)
            Line("plots", $"{plots.Roc}{(plots.Histogram is null ? "" : ", " + plots.Histogram)}");
        if (r.Errors is { } errors)
            Line("errors", $"{errors.Misclassified} misclassified and {errors.Unscored} unscored at {errors.Threshold:F4}: {errors.Csv}{(errors.Sheets.Count > 0 ? ", " + string.Join(", ", errors.Sheets) : "")}");
        foreach (var path in r.NoFaceImages)
            Line("no face", $"{path}");
        foreach (var f in r.FailedImages)
            Line("unreadable", $"{f.Reason}");
    }
}
