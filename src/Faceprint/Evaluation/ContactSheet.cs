using Faceprint.Detection;
using Faceprint.Imaging;
using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>One picture on a contact sheet: a photo or crop, with face boxes drawn on it.</summary>
/// <param name="Image">The picture; null draws an empty grey tile (an unreadable photo).</param>
/// <param name="Boxes">Face boxes in the picture's pixels.</param>
/// <param name="Highlight">Index in <paramref name="Boxes"/> drawn as the chosen face, -1 for none.</param>
public sealed record SheetTile(RgbImage? Image, IReadOnlyList<BoundingBox> Boxes, int Highlight = -1);

/// <summary>One row of a contact sheet: a caption above a line of tiles.</summary>
public sealed record SheetRow(string Caption, IReadOnlyList<SheetTile> Tiles);

/// <summary>
/// Writes rows of pictures with captions as one PNG, for looking at evaluation errors: each photo with its detected
/// faces (the chosen one green, the others red) next to the aligned crops that were embedded.
/// </summary>
public static class ContactSheet
{
    private const int Margin = 8, CaptionSize = 14, CaptionHeight = 20;

    /// <summary>Renders <paramref name="rows"/>, each tile scaled to <paramref name="tileHeight"/> pixels high, into a PNG file.</summary>
    public static void Write(string path, IReadOnlyList<SheetRow> rows, int tileHeight = 160)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileHeight, 16);
        if (rows.Count == 0) throw new ArgumentException("a contact sheet needs at least one row", nameof(rows));
        int width = rows.Max(r => r.Tiles.Sum(t => TileWidth(t, tileHeight) + Margin)) + Margin;
        int rowHeight = CaptionHeight + tileHeight + Margin;
        using var bitmap = new SKBitmap(Math.Max(width, 320), Margin + rows.Count * rowHeight);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int r = 0; r < rows.Count; r++)
            {
                float top = Margin + r * rowHeight;
                PlotText.Shared.Draw(canvas, rows[r].Caption, Margin, top + CaptionSize, CaptionSize, SKColors.Black);
                float left = Margin;
                foreach (var tile in rows[r].Tiles)
                {
                    DrawTile(canvas, tile, left, top + CaptionHeight, tileHeight);
                    left += TileWidth(tile, tileHeight) + Margin;
                }
            }
        }
        EvaluationPlots.Save(bitmap, path);
    }

    /// <summary>Width a tile takes at <paramref name="tileHeight"/>: its aspect ratio kept, at most twice as wide as high.</summary>
    private static int TileWidth(SheetTile tile, int tileHeight) =>
        tile.Image is null ? tileHeight : Math.Clamp((int)MathF.Round(tileHeight * (float)tile.Image.Width / tile.Image.Height), 8, 2 * tileHeight);

    private static void DrawTile(SKCanvas canvas, SheetTile tile, float left, float top, int tileHeight)
    {
        int width = TileWidth(tile, tileHeight);
        var destination = new SKRect(left, top, left + width, top + tileHeight);
        if (tile.Image is null)
        {
            using var grey = new SKPaint { Color = new SKColor(200, 200, 200) };
            canvas.DrawRect(destination, grey);
            return;
        }
        using var picture = ToBitmap(tile.Image);
        using var image = SKImage.FromBitmap(picture);
        canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Linear));
        float sx = width / (float)tile.Image.Width, sy = tileHeight / (float)tile.Image.Height;
        using var paint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
        canvas.Save();
        canvas.ClipRect(destination);
        for (int i = 0; i < tile.Boxes.Count; i++)
        {
            var b = tile.Boxes[i];
            paint.Color = i == tile.Highlight ? new SKColor(0, 200, 0) : new SKColor(230, 30, 30);
            canvas.DrawRect(new SKRect(left + b.X1 * sx, top + b.Y1 * sy, left + b.X2 * sx, top + b.Y2 * sy), paint);
        }
        canvas.Restore();
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = ImageWriter.ToRgba(image);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
