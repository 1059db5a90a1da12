using Faceprint.Evaluation;
using SkiaSharp;

namespace Faceprint.Tests.Evaluation;

public sealed class BitmapFontTests
{
    [Fact]
    public void CoversPrintableAscii()
    {
        // Touching the glyph table runs its shape checks.
        Assert.Equal(Enumerable.Range(32, 95).Select(i => (char)i).Order(), BitmapFont.Characters.Order());
    }

    [Fact]
    public void DrawsInkWithinItsMeasuredWidth()
    {
        using var bitmap = new SKBitmap(200, 40);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Black };
        const string text = "FAR 1e-3";
        BitmapFont.Draw(canvas, text, 10, 30, 19, paint);

        var width = BitmapFont.Measure(text, 19);
        int inside = 0, outside = 0;
        for (var y = 0; y < 40; y++)
            for (var x = 0; x < 200; x++)
                if (bitmap.GetPixel(x, y).Red < 128)
                {
                    if (x >= 10 && x < 10 + width + 1) inside++; else outside++;
                }
        Assert.True(inside > 100, $"{inside} inked pixels");
        Assert.Equal(0, outside);
    }
}
