namespace Faceprint.Imaging;

/// <summary>Draws detection results onto a copy of an image, for overlay PNGs that people inspect.</summary>
public static class Overlay
{
    /// <summary>Box colour: green stands out on skin tones and is not used by any landmark.</summary>
    public static readonly (byte R, byte G, byte B) BoxColor = (0, 255, 0);

    /// <summary>
    /// Landmark colours by index, in the usual 5-point order (left eye, right eye, nose, left and right mouth
    /// corner, as seen in the image): distinct so a swapped eye or mouth point is visible at a glance.
    /// </summary>
    public static readonly IReadOnlyList<(byte R, byte G, byte B)> LandmarkColors =
    [
        (255, 0, 0),     // left eye: red
        (0, 64, 255),    // right eye: blue
        (255, 255, 0),   // nose: yellow
        (255, 0, 255),   // left mouth corner: magenta
        (0, 255, 255),   // right mouth corner: cyan
    ];

    /// <summary>
    /// Returns a copy of <paramref name="image"/> with each face's box outlined and its landmarks drawn as
    /// small filled circles. Coordinates are in pixels and may lie partly or wholly outside the image (clipped);
    /// non-finite values are skipped. Line width and dot size scale with the image so they stay visible.
    /// </summary>
    /// <param name="image">The image to draw on; not modified.</param>
    /// <param name="faces">Boxes (X1,Y1) top-left to (X2,Y2) bottom-right, with landmarks as x0,y0,x1,y1,…
    /// (normally 5 points; null or empty draws only the box).</param>
    public static RgbImage DrawFaces(RgbImage image, IEnumerable<(float X1, float Y1, float X2, float Y2, float[]? LandmarksXY)> faces)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(faces);
        var canvas = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        int thickness = Math.Max(2, (int)MathF.Round(Math.Min(image.Width, image.Height) / 250f));
        float radius = thickness * 1.5f + 2f;

        foreach (var (x1, y1, x2, y2, landmarks) in faces)
        {
            if (float.IsFinite(x1) && float.IsFinite(y1) && float.IsFinite(x2) && float.IsFinite(y2))
                DrawBox(canvas, Math.Min(x1, x2), Math.Min(y1, y2), Math.Max(x1, x2), Math.Max(y1, y2), thickness, BoxColor);
            if (landmarks is null)
                continue;
            for (int k = 0; k + 1 < landmarks.Length; k += 2)
            {
                float px = landmarks[k], py = landmarks[k + 1];
                if (float.IsFinite(px) && float.IsFinite(py))
                    FillCircle(canvas, px, py, radius, LandmarkColors[(k / 2) % LandmarkColors.Count]);
            }
        }
        return canvas;
    }

    private static void DrawBox(RgbImage img, float x1, float y1, float x2, float y2, int t, (byte R, byte G, byte B) c)
    {
        int l = ToInt(x1), tp = ToInt(y1), r = ToInt(x2), b = ToInt(y2), h = t / 2;
        // Each edge is a band t pixels wide centred on the box edge.
        FillRect(img, l - h, tp - h, r - h + t, tp - h + t, c);
        FillRect(img, l - h, b - h, r - h + t, b - h + t, c);
        FillRect(img, l - h, tp - h, l - h + t, b - h + t, c);
        FillRect(img, r - h, tp - h, r - h + t, b - h + t, c);
    }

    /// <summary>Fills [x0,x1)×[y0,y1) clipped to the image.</summary>
    private static void FillRect(RgbImage img, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) c)
    {
        x0 = Math.Max(x0, 0);
        y0 = Math.Max(y0, 0);
        x1 = Math.Min(x1, img.Width);
        y1 = Math.Min(y1, img.Height);
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                Set(img, x, y, c);
    }

    private static void FillCircle(RgbImage img, float cx, float cy, float radius, (byte R, byte G, byte B) c)
    {
        int x0 = Math.Max(0, ToInt(cx - radius)), x1 = Math.Min(img.Width - 1, ToInt(cx + radius));
        int y0 = Math.Max(0, ToInt(cy - radius)), y1 = Math.Min(img.Height - 1, ToInt(cy + radius));
        float r2 = radius * radius;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                // Pixel (x,y) covers [x,x+1)×[y,y+1); test its centre.
                float dx = x + 0.5f - cx, dy = y + 0.5f - cy;
                if (dx * dx + dy * dy <= r2)
                    Set(img, x, y, c);
            }
        }
    }

    private static void Set(RgbImage img, int x, int y, (byte R, byte G, byte B) c)
    {
        long i = ((long)y * img.Width + x) * 3;
        img.Pixels[i] = c.R;
        img.Pixels[i + 1] = c.G;
        img.Pixels[i + 2] = c.B;
    }

    /// <summary>Draws detector results: each face's box and its five landmarks.</summary>
    public static RgbImage DrawFaces(RgbImage image, IEnumerable<Faceprint.Detection.DetectedFace> faces) =>
        DrawFaces(image, faces.Select(f => (f.Box.X1, f.Box.Y1, f.Box.X2, f.Box.Y2, (float[]?)f.Landmarks.SelectMany(p => new[] { p.X, p.Y }).ToArray())));

    // Clamped so wildly out-of-range coordinates cannot overflow; drawing is clipped to the image anyway.
    private static int ToInt(float v) => (int)Math.Clamp(MathF.Round(v), -1_000_000f, 1_000_000f);
}
