using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>
/// Draws plot text with a system sans-serif font when one can be found, else with <see cref="BitmapFont"/>.
/// SkiaSharp's dependency-free Linux build has no font manager, so fonts are also looked up as files.
/// </summary>
internal sealed class PlotText
{
    private static readonly Lazy<PlotText> SharedInstance = new(() => new PlotText(FindTypeface()));

    private readonly SKTypeface? _typeface;

    private PlotText(SKTypeface? typeface) => _typeface = typeface;

    /// <summary>The best text renderer of this machine, found once.</summary>
    internal static PlotText Shared => SharedInstance.Value;

    /// <summary>A renderer that always uses the built-in bitmap font, for tests of the fallback.</summary>
    internal static PlotText BuiltIn { get; } = new(null);

    /// <summary>Whether a real font is in use rather than the bitmap fallback.</summary>
    internal bool HasTypeface => _typeface is not null;

    /// <summary>Width of <paramref name="text"/> at <paramref name="size"/> pixels.</summary>
    internal float Measure(string text, float size)
    {
        if (_typeface is null)
            return BitmapFont.Measure(text, size);
        using var font = new SKFont(_typeface, size);
        return font.MeasureText(text);
    }

    /// <summary>Draws <paramref name="text"/> on the baseline <paramref name="y"/>, aligned on <paramref name="x"/>.</summary>
    internal void Draw(SKCanvas canvas, string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        var left = align switch
        {
            SKTextAlign.Center => x - Measure(text, size) / 2,
            SKTextAlign.Right => x - Measure(text, size),
            _ => x,
        };
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        if (_typeface is null)
        {
            BitmapFont.Draw(canvas, text, left, y, size, paint);
            return;
        }
        using var font = new SKFont(_typeface, size);
        canvas.DrawText(text, left, y, SKTextAlign.Left, font, paint);
    }

    /// <summary>Draws <paramref name="text"/> rotated a quarter turn anticlockwise, centred on (<paramref name="x"/>, <paramref name="y"/>).</summary>
    internal void DrawVertical(SKCanvas canvas, string text, float x, float y, float size, SKColor color)
    {
        canvas.Save();
        canvas.RotateDegrees(-90, x, y);
        Draw(canvas, text, x, y, size, color, SKTextAlign.Center);
        canvas.Restore();
    }

    private static SKTypeface? FindTypeface()
    {
        foreach (var family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "sans-serif" })
        {
            var typeface = SKTypeface.FromFamilyName(family);
            if (Usable(typeface))
                return typeface;
        }
        foreach (var path in CandidateFontFiles())
        {
            if (!File.Exists(path))
                continue;
            var typeface = SKTypeface.FromFile(path);
            if (Usable(typeface))
                return typeface;
        }
        return null;
    }

    /// <summary>An empty font manager hands out typefaces without glyphs; those draw nothing.</summary>
    private static bool Usable(SKTypeface? typeface) => typeface is not null && typeface.GlyphCount > 0;

    private static IEnumerable<string> CandidateFontFiles()
    {
        string[] knownFiles =
        [
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
            "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
            "/usr/share/fonts/noto/NotoSans-Regular.ttf",
            "/System/Library/Fonts/Supplemental/Arial.ttf",
            "/Library/Fonts/Arial.ttf",
            "/System/Library/Fonts/Helvetica.ttc",
        ];
        foreach (var path in knownFiles)
            yield return path;
        var windowsFonts = Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
        if (windowsFonts.Length > 0)
        {
            yield return Path.Combine(windowsFonts, "arial.ttf");
            yield return Path.Combine(windowsFonts, "segoeui.ttf");
        }
    }
}
