using Faceprint.Evaluation;
using SkiaSharp;

namespace Faceprint.Tests.Evaluation;

public sealed class EvaluationPlotsTests : IDisposable
{
    private static readonly SKColor SameBlue = new(31, 119, 180);

    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Overlapping same/different score distributions, deterministic.</summary>
    private static List<ScoredPair> SamplePairs()
    {
        var random = new Random(7);
        var pairs = new List<ScoredPair>();
        for (var i = 0; i < 3000; i++)
        {
            pairs.Add(new ScoredPair(0.55 + 0.15 * Gaussian(random), true));
            pairs.Add(new ScoredPair(0.05 + 0.12 * Gaussian(random), false));
        }
        pairs.Add(new ScoredPair(null, true));
        return pairs;
    }

    private static double Gaussian(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static void AssertPlotLike(SKBitmap bitmap, int width, int height, SKColor seriesColor)
    {
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        int nonWhite = 0, dark = 0, series = 0;
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                if (c != SKColors.White) nonWhite++;
                if (c.Red < 80 && c.Green < 80 && c.Blue < 80) dark++;
                if (Math.Abs(c.Red - seriesColor.Red) < 40 && Math.Abs(c.Green - seriesColor.Green) < 40 && Math.Abs(c.Blue - seriesColor.Blue) < 40) series++;
            }
        Assert.True(nonWhite > width * height / 50, $"only {nonWhite} non-white pixels");
        Assert.True(nonWhite < width * height * 9 / 10, $"{nonWhite} non-white pixels: not a chart on white");
        Assert.True(dark > 1000, $"only {dark} dark pixels: axes and labels missing"); // axes box alone is ~2·(w+h)
        Assert.True(series > 200, $"only {series} pixels of the series colour");
        Assert.True(colours.Count > 20, $"only {colours.Count} colours");
    }

    [Fact]
    public void RocPngIsWrittenAndDecodable()
    {
        var path = Path.Combine(_dir, "roc.png");
        var roc = RocCurve.Compute(SamplePairs());

        EvaluationPlots.WriteRoc(path, roc, "test model", 640, 480);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4));
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        AssertPlotLike(bitmap, 640, 480, SameBlue);
    }

    [Fact]
    public void SeveralRocCurvesGetTheirOwnColours()
    {
        var path = Path.Combine(_dir, "rocs.png");
        var good = RocCurve.Compute(SamplePairs());
        var worse = RocCurve.Compute(SamplePairs().Select(p => p with { Score = p.Score * (p.Same ? 0.5 : 1) }).ToList());

        EvaluationPlots.WriteRoc(path, [("good", good), ("worse", worse)]);

        using var bitmap = SKBitmap.Decode(path);
        AssertPlotLike(bitmap, EvaluationPlots.DefaultWidth, EvaluationPlots.DefaultHeight, new SKColor(255, 127, 14));
    }

    [Fact]
    public void HistogramPngIsWrittenAndDecodable()
    {
        var path = Path.Combine(_dir, "hist.png");
        var pairs = SamplePairs();
        var threshold = ThresholdSearch.FindBest(pairs).Threshold;

        EvaluationPlots.WriteScoreHistogram(path, pairs, threshold, 900, 500, bins: 40);

        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        AssertPlotLike(bitmap, 900, 500, SameBlue);
    }

    [Fact]
    public void BuiltInFontDrawsLabelsWithoutAnySystemFont()
    {
        using var roc = EvaluationPlots.RenderRoc([("x", RocCurve.Compute(SamplePairs()))], 400, 300, PlotText.BuiltIn);
        AssertPlotLike(roc, 400, 300, SameBlue);
        using var hist = EvaluationPlots.RenderScoreHistogram(SamplePairs(), 0.3, 400, 300, 20, PlotText.BuiltIn);
        AssertPlotLike(hist, 400, 300, SameBlue);
        // The title row, above any axis, holds ink only if text was drawn.
        var titleInk = 0;
        for (var y = 0; y < 18; y++)
            for (var x = 0; x < 400; x++)
                if (hist.GetPixel(x, y).Red < 128)
                    titleInk++;
        Assert.True(titleInk > 30, $"title has {titleInk} dark pixels");
    }

    [Fact]
    public void DegenerateInputsStillPlot()
    {
        using var flat = EvaluationPlots.RenderScoreHistogram([new(0.5, true), new(0.5, false)], double.PositiveInfinity, 300, 200, 10, PlotText.Shared);
        Assert.Equal(300, flat.Width);
        using var perfect = EvaluationPlots.RenderRoc([("p", RocCurve.Compute([new(1, true), new(0, false)]))], 300, 200, PlotText.Shared);
        Assert.Equal(200, perfect.Height);
    }

    [Fact]
    public void UnscoredOnlyOrUnwritablePathIsAFaceprintError()
    {
        Assert.Throws<FaceprintException>(() =>
            EvaluationPlots.WriteScoreHistogram(Path.Combine(_dir, "x.png"), [new(null, true), new(null, false)], 0));
        var roc = RocCurve.Compute([new(1, true), new(0, false)]);
        Assert.Throws<FaceprintException>(() => EvaluationPlots.WriteRoc(Path.Combine(_dir, "missing-dir", "roc.png"), roc));
    }
}
