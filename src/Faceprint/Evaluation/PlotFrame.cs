using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>
/// The chart furniture shared by the evaluation plots: title, legend, grid, ticks, tick labels, axis titles and
/// border, laid out for a given image size; maps data coordinates into the plotting area.
/// </summary>
internal sealed class PlotFrame
{
    private static readonly SKColor Ink = new(30, 30, 30);
    private static readonly SKColor MajorGrid = new(215, 215, 215);
    private static readonly SKColor MinorGrid = new(238, 238, 238);

    private readonly PlotAxis _x;
    private readonly PlotAxis _y;
    private readonly string _title;
    private readonly IReadOnlyList<PlotLegendEntry> _legend;
    private readonly PlotText _text;
    private readonly int _width;
    private readonly float _tickSize;
    private readonly float _labelSize;
    private readonly float _titleSize;
    private readonly List<List<(PlotLegendEntry Entry, float X)>> _legendRows;

    internal PlotFrame(int width, int height, PlotAxis x, PlotAxis y, string title, IReadOnlyList<PlotLegendEntry> legend, PlotText text)
    {
        _x = x;
        _y = y;
        _title = title;
        _legend = legend;
        _text = text;
        _width = width;
        _tickSize = Math.Max(10f, Math.Min(width, height) / 46f);
        _labelSize = _tickSize * 1.15f;
        _titleSize = _tickSize * 1.35f;

        var yLabelWidth = y.Ticks().Where(t => t.Label is not null).Select(t => text.Measure(t.Label!, _tickSize)).DefaultIfEmpty(0).Max();
        var left = yLabelWidth + _tickSize * 1.0f + _labelSize * 1.8f;
        var right = _tickSize * 2.0f;
        _legendRows = LayoutLegend(left, width - right);
        var top = _titleSize * 1.9f + _legendRows.Count * _tickSize * 1.7f + _tickSize * 0.4f;
        var bottom = _tickSize * 2.0f + _labelSize * 2.0f;
        Area = new SKRect(left, top, width - right, height - bottom);
    }

    /// <summary>The plotting area inside the axes, in pixels.</summary>
    internal SKRect Area { get; }

    /// <summary>Pixel position of the data point (<paramref name="x"/>, <paramref name="y"/>), clamped to the axes.</summary>
    internal SKPoint Map(double x, double y) =>
        new((float)(Area.Left + _x.Fraction(x) * Area.Width), (float)(Area.Bottom - _y.Fraction(y) * Area.Height));

    /// <summary>Paints background, title, legend, grid, ticks and axis titles; series go on top of this.</summary>
    internal void DrawBackground(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        _text.Draw(canvas, _title, _width / 2f, _titleSize * 1.3f, _titleSize, Ink, SKTextAlign.Center);
        DrawLegend(canvas);

        using var major = new SKPaint { Color = MajorGrid, StrokeWidth = 1, IsAntialias = false };
        using var minor = new SKPaint { Color = MinorGrid, StrokeWidth = 1, IsAntialias = false };
        using var tick = new SKPaint { Color = Ink, StrokeWidth = 1, IsAntialias = false };
        var tickLength = _tickSize * 0.4f;
        foreach (var (value, label) in _x.Ticks())
        {
            var px = Map(value, _y.Min).X;
            canvas.DrawLine(px, Area.Top, px, Area.Bottom, label is null ? minor : major);
            if (label is null)
                continue;
            canvas.DrawLine(px, Area.Bottom, px, Area.Bottom + tickLength, tick);
            _text.Draw(canvas, label, px, Area.Bottom + tickLength + _tickSize * 1.1f, _tickSize, Ink, SKTextAlign.Center);
        }
        foreach (var (value, label) in _y.Ticks())
        {
            var py = Map(_x.Min, value).Y;
            canvas.DrawLine(Area.Left, py, Area.Right, py, label is null ? minor : major);
            if (label is null)
                continue;
            canvas.DrawLine(Area.Left - tickLength, py, Area.Left, py, tick);
            _text.Draw(canvas, label, Area.Left - tickLength - _tickSize * 0.3f, py + _tickSize * 0.35f, _tickSize, Ink, SKTextAlign.Right);
        }
        _text.Draw(canvas, _x.Title, Area.MidX, Area.Bottom + tickLength + _tickSize * 1.5f + _labelSize * 1.4f, _labelSize, Ink, SKTextAlign.Center);
        _text.DrawVertical(canvas, _y.Title, _labelSize * 1.1f, Area.MidY, _labelSize, Ink);
    }

    /// <summary>Draws the axes box; call after the series so it stays crisp on top.</summary>
    internal void DrawBorder(SKCanvas canvas)
    {
        using var paint = new SKPaint { Color = Ink, StrokeWidth = 1, Style = SKPaintStyle.Stroke, IsAntialias = false };
        canvas.DrawRect(Area, paint);
    }

    private List<List<(PlotLegendEntry Entry, float X)>> LayoutLegend(float left, float right)
    {
        var rows = new List<List<(PlotLegendEntry, float)>>();
        var x = left;
        foreach (var entry in _legend)
        {
            var width = _tickSize * 2.8f + _text.Measure(entry.Label, _tickSize);
            if (rows.Count == 0 || (x + width > right && rows[^1].Count > 0))
            {
                rows.Add([]);
                x = left;
            }
            rows[^1].Add((entry, x));
            x += width + _tickSize * 1.5f;
        }
        return rows;
    }

    private void DrawLegend(SKCanvas canvas)
    {
        for (var r = 0; r < _legendRows.Count; r++)
        {
            var baseline = _titleSize * 1.9f + _tickSize * (1.2f + 1.7f * r);
            var middle = baseline - _tickSize * 0.35f;
            foreach (var (entry, x) in _legendRows[r])
            {
                var swatchWidth = _tickSize * 2.2f;
                if (entry.Filled)
                {
                    using var fill = new SKPaint { Color = entry.Color, IsAntialias = true };
                    canvas.DrawRect(x, middle - _tickSize * 0.4f, swatchWidth, _tickSize * 0.8f, fill);
                }
                else
                {
                    using var line = StrokePaint(entry.Color, 2.5f, entry.Dashed);
                    canvas.DrawLine(x, middle, x + swatchWidth, middle, line);
                }
                _text.Draw(canvas, entry.Label, x + swatchWidth + _tickSize * 0.6f, baseline, _tickSize, Ink);
            }
        }
    }

    /// <summary>An antialiased stroke, optionally dashed, for series lines.</summary>
    internal static SKPaint StrokePaint(SKColor color, float width, bool dashed = false) => new()
    {
        Color = color,
        StrokeWidth = width,
        Style = SKPaintStyle.Stroke,
        IsAntialias = true,
        StrokeJoin = SKStrokeJoin.Round,
        PathEffect = dashed ? SKPathEffect.CreateDash([width * 3, width * 2], 0) : null,
    };
}
