namespace Faceprint.Cli.Output;

/// <summary>The readable text form of an <see cref="IjbReport"/>.</summary>
internal static class IjbReportText
{
    /// <summary>Writes the summary, one value per line.</summary>
    public static void Write(TextWriter w, IjbReport r)
    {
        void Line(string label, FormattableString value) => w.WriteLine((label + ":").PadRight(17) + TextFormat.Invariant(value));

        string On(bool flag) => flag ? "on" : "off";
        Line("model", $"{r.Model}");
        Line("target", $"{r.Target} ({r.Root})");
        Line("images", $"{r.Images} ({r.CachedImages} from the cache)");
        Line("templates", $"{r.Templates}");
        Line("pairs", $"{r.Pairs} ({r.SamePairs} same, {r.DifferentPairs} different)");
        Line("features", $"flip {On(r.Flip)}, norm score {On(r.NormScore)}, detector score {On(r.DetectorScore)}");
        Line("AUC", $"{r.Auc:F4}, EER {TextFormat.Percent(r.Eer)}");
        foreach (var t in r.TarAtFar)
            Line(TextFormat.Invariant($"TAR@FAR={t.Far:0e0}"), $"{TextFormat.Percent(t.Tar)} (threshold {t.Threshold:F4})");
        if (r.Cache is not null)
            Line("cache", $"{r.Cache}");
        if (r.Plots is { } plots)
            Line("plots", $"{plots.Roc}{(plots.Histogram is null ? "" : ", " + plots.Histogram)}");
    }
}
