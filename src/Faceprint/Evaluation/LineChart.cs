using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>Writes PNG line charts (e.g. a training curve) in the style of <see cref="EvaluationPlots"/>.</summary>
public static class LineChart
{
    /// <summary>
    /// Draws each series as a polyline over linear axes fitted to the data (y from its minimum, or 0 when all values are
    /// non-negative) and writes the chart to <paramref name="path"/>. Non-finite points are skipped.
    /// </summary>
    /// <param name="path">The PNG file to create or replace.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">X axis title.</param>
    /// <param name="yTitle">Y axis title.</param>
    /// <param name="series">Labelled series of (x, y) points; at least one point overall.</param>
    /// <param name="width">Image width in pixels, 200 to 8000.</param>
    /// <param name="height">Image height in pixels, 150 to 8000.</param>
    /// <exception cref="FaceprintException">There is nothing to draw, or the file cannot be written.</exception>
    public static void Write(string path, string title, string xTitle, string yTitle,
        IReadOnlyList<(string Label, IReadOnlyList<(double X, double Y)> Points)> series,
        int width = EvaluationPlots.DefaultWidth, int height = EvaluationPlots.DefaultHeight)
    {
        using var bitmap = Render(title, xTitle, yTitle, series, width, height, PlotText.Shared);
        EvaluationPlots.Save(bitmap, path);
    }

    internal static SKBitmap Render(string title, string xTitle, string yTitle,
        IReadOnlyList<(string Label, IReadOnlyList<(double X, double Y)> Points)> series, int width, int height, PlotText text)
    {
        EvaluationPlots.CheckSize(width, height);
        var finite = series.Select(s => s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList()).ToList();
        var all = finite.SelectMany(p => p).ToList();
        if (all.Count == 0)
            throw new FaceprintException($"no points to plot in '{title}'");
        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X);
        double yMin = Math.Min(0, all.Min(p => p.Y)), yMax = all.Max(p => p.Y);
        if (xMax <= xMin) xMax = xMin + 1;
        if (yMax <= yMin) yMax = yMin + 1;
        yMax += (yMax - yMin) * 0.05;

        var legend = series.Select((s, i) => new PlotLegendEntry(s.Label, EvaluationPlots.Palette[i % EvaluationPlots.Palette.Length])).ToList();
        var frame = new PlotFrame(width, height,
            new PlotAxis(xMin, xMax, logarithmic: false, xTitle),
            new PlotAxis(yMin, yMax, logarithmic: false, yTitle),
            title, legend, text);

        var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        frame.DrawBackground(canvas);
        canvas.Save();
        canvas.ClipRect(frame.Area);
        for (int i = 0; i < finite.Count; i++)
        {
            var points = finite[i];
            if (points.Count == 0)
                continue;
            using var builder = new SKPathBuilder();
            builder.MoveTo(frame.Map(points[0].X, points[0].Y));
            foreach (var p in points.Skip(1))
                builder.LineTo(frame.Map(p.X, p.Y));
            using var line = builder.Detach();
            using var paint = PlotFrame.StrokePaint(EvaluationPlots.Palette[i % EvaluationPlots.Palette.Length], 2f);
            canvas.DrawPath(line, paint);
        }
        canvas.Restore();
        frame.DrawBorder(canvas);
        return bitmap;
    }
}
