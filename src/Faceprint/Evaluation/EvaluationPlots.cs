using System.Globalization;
using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>Writes PNG charts of a verification evaluation: ROC curves and the score distributions.</summary>
public static class EvaluationPlots
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 800;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 600;

    // matplotlib's tab10 colours: distinct and familiar from the papers these plots get compared with.
    internal static readonly SKColor[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>Writes one ROC curve to <paramref name="path"/>; see the overload for several.</summary>
    /// <exception cref="FaceprintException">The file cannot be written.</exception>
    public static void WriteRoc(string path, RocCurve curve, string label = "ROC", int width = DefaultWidth, int height = DefaultHeight) =>
        WriteRoc(path, [(label, curve)], width, height);

    /// <summary>
    /// Writes ROC curves, TAR against FAR on a logarithmic FAR axis, to a PNG at <paramref name="path"/>.
    /// Each legend label gets the curve's AUC appended. Points at FAR 0, which a log axis cannot show, sit on its left edge.
    /// </summary>
    /// <param name="path">The PNG file to create or replace.</param>
    /// <param name="curves">Curves with their legend labels; at least one.</param>
    /// <param name="width">Image width in pixels, 200 to 8000.</param>
    /// <param name="height">Image height in pixels, 150 to 8000.</param>
    /// <exception cref="FaceprintException">The file cannot be written.</exception>
    public static void WriteRoc(string path, IReadOnlyList<(string Label, RocCurve Curve)> curves, int width = DefaultWidth, int height = DefaultHeight)
    {
        using var bitmap = RenderRoc(curves, width, height, PlotText.Shared);
        Save(bitmap, path);
    }

    /// <summary>
    /// Writes overlaid histograms of the scores of same and different pairs, each normalised to its class size,
    /// with <paramref name="threshold"/> marked, to a PNG at <paramref name="path"/>. Unscored pairs are counted in the legend only.
    /// </summary>
    /// <param name="path">The PNG file to create or replace.</param>
    /// <param name="pairs">Scored pairs; fold ids are ignored.</param>
    /// <param name="threshold">Decision threshold to mark; not drawn when not finite.</param>
    /// <param name="width">Image width in pixels, 200 to 8000.</param>
    /// <param name="height">Image height in pixels, 150 to 8000.</param>
    /// <param name="bins">Number of histogram bins, 1 to 1000.</param>
    /// <exception cref="FaceprintException">No pair has a score, or the file cannot be written.</exception>
    public static void WriteScoreHistogram(string path, IReadOnlyList<ScoredPair> pairs, double threshold,
        int width = DefaultWidth, int height = DefaultHeight, int bins = 50)
    {
        using var bitmap = RenderScoreHistogram(pairs, threshold, width, height, bins, PlotText.Shared);
        Save(bitmap, path);
    }

    internal static SKBitmap RenderRoc(IReadOnlyList<(string Label, RocCurve Curve)> curves, int width, int height, PlotText text)
    {
        if (curves.Count == 0)
            throw new ArgumentException("no ROC curve to plot", nameof(curves));
        CheckSize(width, height);

        // Start the log axis a decade below the smallest non-zero FAR any curve reaches, and at 1e-3 at the latest.
        var smallest = curves.SelectMany(c => c.Curve.Points).Select(p => p.FalsePositiveRate).Where(f => f > 0).DefaultIfEmpty(1).Min();
        var xMin = Math.Max(1e-9, Math.Min(1e-3, Math.Pow(10, Math.Floor(Math.Log10(smallest)))));
        var xAxis = new PlotAxis(xMin, 1, logarithmic: true, "False accept rate (FAR)");
        var yAxis = new PlotAxis(0, 1, logarithmic: false, "True accept rate (TAR)");
        var legend = curves
            .Select((c, i) => new PlotLegendEntry($"{c.Label} (AUC {c.Curve.Auc.ToString("0.0000", CultureInfo.InvariantCulture)})", Palette[i % Palette.Length]))
            .ToList();
        var frame = new PlotFrame(width, height, xAxis, yAxis, "ROC curve", legend, text);

        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        frame.DrawBackground(canvas);
        canvas.Save();
        canvas.ClipRect(frame.Area);
        for (var i = 0; i < curves.Count; i++)
        {
            using var builder = new SKPathBuilder();
            var points = curves[i].Curve.Points;
            builder.MoveTo(frame.Map(points[0].FalsePositiveRate, points[0].TruePositiveRate));
            foreach (var p in points.Skip(1))
                builder.LineTo(frame.Map(p.FalsePositiveRate, p.TruePositiveRate));
            using var path = builder.Detach();
            using var paint = PlotFrame.StrokePaint(Palette[i % Palette.Length], 2.5f);
            canvas.DrawPath(path, paint);
        }
        canvas.Restore();
        frame.DrawBorder(canvas);
        return bitmap;
    }

    internal static SKBitmap RenderScoreHistogram(IReadOnlyList<ScoredPair> pairs, double threshold, int width, int height, int bins, PlotText text)
    {
        CheckSize(width, height);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, 1000);
        var scores = pairs.Where(p => p.Score is not null).Select(p => p.Score!.Value).ToList();
        if (scores.Count == 0)
            throw new FaceprintException("no scored pairs to plot");
        foreach (var s in scores)
            ThresholdSearch.RequireFinite(s);

        var lo = scores.Min();
        var hi = scores.Max();
        if (double.IsFinite(threshold))
        {
            lo = Math.Min(lo, threshold);
            hi = Math.Max(hi, threshold);
        }
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(lo)))
        {
            lo -= 0.5;
            hi += 0.5;
        }
        var same = Histogram(pairs.Where(p => p.Same), lo, hi, bins);
        var different = Histogram(pairs.Where(p => !p.Same), lo, hi, bins);
        var yMax = Math.Max(same.Fractions.Max(), different.Fractions.Max()) * 1.1;
        var pad = (hi - lo) * 0.02;

        SKColor sameColor = Palette[0], differentColor = Palette[1];
        var legend = new List<PlotLegendEntry>
        {
            new(ClassLabel("same", same), sameColor.WithAlpha(150), Filled: true),
            new(ClassLabel("different", different), differentColor.WithAlpha(150), Filled: true),
        };
        if (double.IsFinite(threshold))
            legend.Add(new PlotLegendEntry($"threshold {threshold.ToString("0.####", CultureInfo.InvariantCulture)}", SKColors.Black, Dashed: true));
        var frame = new PlotFrame(width, height,
            new PlotAxis(lo - pad, hi + pad, logarithmic: false, "Score"),
            new PlotAxis(0, yMax > 0 ? yMax : 1, logarithmic: false, "Fraction of pairs"),
            "Score distribution", legend, text);

        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        frame.DrawBackground(canvas);
        canvas.Save();
        canvas.ClipRect(frame.Area);
        DrawBars(canvas, frame, different.Fractions, lo, hi, differentColor);
        DrawBars(canvas, frame, same.Fractions, lo, hi, sameColor);
        if (double.IsFinite(threshold))
        {
            using var line = PlotFrame.StrokePaint(SKColors.Black, 2, dashed: true);
            canvas.DrawLine(frame.Map(threshold, 0).X, frame.Area.Top, frame.Map(threshold, 0).X, frame.Area.Bottom, line);
        }
        canvas.Restore();
        frame.DrawBorder(canvas);
        return bitmap;
    }

    private static (double[] Fractions, int Scored, int Missing) Histogram(IEnumerable<ScoredPair> pairs, double lo, double hi, int bins)
    {
        var counts = new double[bins];
        int scored = 0, missing = 0;
        foreach (var p in pairs)
        {
            if (p.Score is not { } s)
            {
                missing++;
                continue;
            }
            var bin = (int)Math.Floor((s - lo) / (hi - lo) * bins);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
            scored++;
        }
        if (scored > 0)
            for (var i = 0; i < bins; i++)
                counts[i] /= scored;
        return (counts, scored, missing);
    }

    private static string ClassLabel(string name, (double[] Fractions, int Scored, int Missing) histogram) =>
        histogram.Missing == 0
            ? $"{name} (n={histogram.Scored})"
            : $"{name} (n={histogram.Scored}, {histogram.Missing} without score)";

    private static void DrawBars(SKCanvas canvas, PlotFrame frame, double[] fractions, double lo, double hi, SKColor color)
    {
        // Translucent fill so overlapping classes stay visible, plus an opaque outline of the histogram's shape.
        using var fill = new SKPaint { Color = color.WithAlpha(110), IsAntialias = false };
        using var outline = new SKPathBuilder();
        var width = (hi - lo) / fractions.Length;
        outline.MoveTo(frame.Map(lo, 0));
        for (var i = 0; i < fractions.Length; i++)
        {
            var topLeft = frame.Map(lo + i * width, fractions[i]);
            var bottomRight = frame.Map(lo + (i + 1) * width, 0);
            if (fractions[i] > 0)
                canvas.DrawRect(SKRect.Create(topLeft.X, topLeft.Y, bottomRight.X - topLeft.X, bottomRight.Y - topLeft.Y), fill);
            outline.LineTo(topLeft);
            outline.LineTo(bottomRight.X, topLeft.Y);
        }
        outline.LineTo(frame.Map(hi, 0));
        using var stroke = PlotFrame.StrokePaint(color, 1.5f);
        using var path = outline.Detach();
        canvas.DrawPath(path, stroke);
    }

    internal static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 8000);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 8000);
    }

    internal static void Save(SKBitmap bitmap, string path)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new FaceprintException($"cannot encode plot '{path}' as PNG");
        try
        {
            using var file = File.Create(path);
            data.SaveTo(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceprintException($"cannot write plot '{path}': {e.Message}", e);
        }
    }
}
