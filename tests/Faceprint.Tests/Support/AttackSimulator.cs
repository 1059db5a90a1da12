using Faceprint.Imaging;
using SkiaSharp;

namespace Faceprint.Tests.Support;

/// <summary>Which simulated presentation attack <see cref="AttackSimulator"/> makes.</summary>
public enum SimulatedAttack
{
    /// <summary>Detail lost: scaled to a quarter and back up.</summary>
    DownUp,

    /// <summary>Heavy JPEG re-encoding (quality 30).</summary>
    Jpeg30,

    /// <summary>A printed photo photographed again: gamut compression, halftone dots, softening, a paper margin on a table, JPEG.</summary>
    Print,

    /// <summary>A screen photographed again: sub-pixel stripes, a moiré beat, a brighter bluish tone curve, a black bezel, JPEG.</summary>
    Screen,
}

/// <summary>
/// Makes images that imitate some of the traces a re-photographed print or screen leaves, from a live photo. Fixed,
/// photo-independent rules; they are simulations, not real attacks (no paper, ink, lens, screen or camera involved).
/// </summary>
public static class AttackSimulator
{
    /// <summary>The attack image of <paramref name="photo"/>.</summary>
    public static RgbImage Make(RgbImage photo, SimulatedAttack attack) => attack switch
    {
        SimulatedAttack.DownUp => ImageOps.Resize(ImageOps.Resize(photo, Math.Max(1, photo.Width / 4), Math.Max(1, photo.Height / 4)), photo.Width, photo.Height),
        SimulatedAttack.Jpeg30 => Jpeg(photo, 30),
        SimulatedAttack.Print => Jpeg(Framed(Halftone(Soften(Gamut(photo, 0.16f, 0.84f, 0.25f))), margin: (245, 243, 236), background: (96, 88, 80)), 75),
        SimulatedAttack.Screen => Jpeg(Framed(Moire(Stripes(Tone(photo))), margin: (8, 8, 8), background: (150, 150, 150)), 75),
        _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
    };

    /// <summary>Maps every channel from [0, 255] into [lo, hi]·255 and pulls it <paramref name="desaturate"/> of the way to grey.</summary>
    private static RgbImage Gamut(RgbImage photo, float lo, float hi, float desaturate) => Map(photo, (r, g, b) =>
    {
        float y = 0.299f * r + 0.587f * g + 0.114f * b;
        float F(float v) => 255 * lo + (v + (y - v) * desaturate) * (hi - lo);
        return (F(r), F(g), F(b));
    });

    /// <summary>Printer-resolution softening: a third of the size and back.</summary>
    private static RgbImage Soften(RgbImage photo) =>
        ImageOps.Resize(ImageOps.Resize(photo, Math.Max(1, photo.Width / 3), Math.Max(1, photo.Height / 3)), photo.Width, photo.Height);

    /// <summary>A 45° dot screen with a 4-pixel period modulating brightness by ±12 %.</summary>
    private static RgbImage Halftone(RgbImage photo) => MapAt(photo, (x, y, r, g, b) =>
    {
        float u = (x + y) * 0.7071f, v = (x - y) * 0.7071f;
        float m = 0.88f + 0.12f * MathF.Cos(2 * MathF.PI * u / 4) * MathF.Cos(2 * MathF.PI * v / 4);
        return (r * m, g * m, b * m);
    });

    /// <summary>A screen's brighter, bluer tone curve.</summary>
    private static RgbImage Tone(RgbImage photo) => Map(photo, (r, g, b) =>
    {
        float F(float v, float gain) => 255 * MathF.Pow(v / 255, 0.8f) * gain;
        return (F(r, 0.95f), F(g, 1f), F(b, 1.08f));
    });

    /// <summary>Vertical RGB sub-pixel stripes, period 3 pixels: the other two channels dimmed to 75 % in each column.</summary>
    private static RgbImage Stripes(RgbImage photo) => MapAt(photo, (x, _, r, g, b) => (x % 3) switch
    {
        0 => (r, g * 0.75f, b * 0.75f),
        1 => (r * 0.75f, g, b * 0.75f),
        _ => (r * 0.75f, g * 0.75f, b),
    });

    /// <summary>A slanted low-frequency beat (±10 %), as the camera's and the screen's pixel grids interfere.</summary>
    private static RgbImage Moire(RgbImage photo) => MapAt(photo, (x, y, r, g, b) =>
    {
        float m = 0.9f + 0.1f * MathF.Cos(2 * MathF.PI * (x * 0.043f + y * 0.017f));
        return (r * m, g * m, b * m);
    });

    /// <summary>The photo shrunk to 80 % inside a 4 % margin, on a background filling the rest of the frame.</summary>
    private static RgbImage Framed(RgbImage photo, (byte R, byte G, byte B) margin, (byte R, byte G, byte B) background)
    {
        int w = photo.Width, h = photo.Height;
        int iw = w * 8 / 10, ih = h * 8 / 10, mx = w * 4 / 100, my = h * 4 / 100;
        var inner = ImageOps.Resize(photo, iw, ih);
        var result = new RgbImage(w, h);
        int ox = (w - iw) / 2, oy = (h - ih) / 2;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                bool onPrint = x >= ox && x < ox + iw && y >= oy && y < oy + ih;
                bool onMargin = x >= ox - mx && x < ox + iw + mx && y >= oy - my && y < oy + ih + my;
                int at = (y * w + x) * 3;
                if (onPrint)
                {
                    int src = ((y - oy) * iw + x - ox) * 3;
                    result.Pixels[at] = inner.Pixels[src];
                    result.Pixels[at + 1] = inner.Pixels[src + 1];
                    result.Pixels[at + 2] = inner.Pixels[src + 2];
                }
                else
                {
                    var c = onMargin ? margin : background;
                    (result.Pixels[at], result.Pixels[at + 1], result.Pixels[at + 2]) = (c.R, c.G, c.B);
                }
            }
        return result;
    }

    private static RgbImage Jpeg(RgbImage photo, int quality)
    {
        var rgba = ImageWriter.ToRgba(photo);
        var info = new SKImageInfo(photo.Width, photo.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* p = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, photo.Width * 4);
                using var data = pixmap.Encode(SKEncodedImageFormat.Jpeg, quality) ?? throw new InvalidOperationException("JPEG encoding failed");
                return ImageLoader.Decode(data.ToArray());
            }
        }
    }

    private static RgbImage Map(RgbImage photo, Func<float, float, float, (float, float, float)> f) => MapAt(photo, (_, _, r, g, b) => f(r, g, b));

    private static RgbImage MapAt(RgbImage photo, Func<int, int, float, float, float, (float, float, float)> f)
    {
        var result = new RgbImage(photo.Width, photo.Height);
        var p = photo.Pixels;
        for (int y = 0; y < photo.Height; y++)
            for (int x = 0; x < photo.Width; x++)
            {
                int at = (y * photo.Width + x) * 3;
                var (r, g, b) = f(x, y, p[at], p[at + 1], p[at + 2]);
                result.Pixels[at] = Clamp(r);
                result.Pixels[at + 1] = Clamp(g);
                result.Pixels[at + 2] = Clamp(b);
            }
        return result;
    }

    private static byte Clamp(float v) => (byte)Math.Clamp(MathF.Round(v), 0, 255);
}
