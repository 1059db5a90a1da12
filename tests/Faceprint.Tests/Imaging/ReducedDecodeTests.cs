using Faceprint.Imaging;
using SkiaSharp;

namespace Faceprint.Tests.Imaging;

/// <summary>
/// <see cref="ImageLoader.DecodeScaled"/> with a decode budget: large images come out reduced, equal to a box
/// average of the full decode, with the full size reported; the full image never has to exist in memory.
/// </summary>
public sealed class ReducedDecodeTests
{
    [Fact]
    public void A_PNG_over_the_budget_equals_the_box_average_of_its_full_decode()
    {
        // Alpha, gradients and noise: every PNG row filter and the composite over white are exercised.
        var random = new Random(3);
        var png = TestImages.SkiaEncode(301, 203, (x, y) => ((byte)(x * 255 / 300), (byte)(y * 255 / 202), (byte)random.Next(256), (byte)(x % 7 == 0 ? 128 : 255)), SKEncodedImageFormat.Png);

        var full = ImageLoader.Decode(png);
        var reduced = ImageLoader.DecodeScaled(png, new ImageLimits { MaxDecodePixels = 7000 });

        Assert.Equal((301, 203), (reduced.Width, reduced.Height));
        Assert.Equal((101, 68), (reduced.Image.Width, reduced.Image.Height));
        AssertBoxAverage(full, reduced.Image, 3);
    }

    [Fact]
    public void Palette_PNGs_with_transparency_and_16_bit_grey_PNGs_stream_too()
    {
        byte[][] paletteRows = [.. Enumerable.Range(0, 8).Select(y => new byte[] { (byte)(y % 2 == 0 ? 0x1B : 0xE4) })]; // 2-bit indices
        var palette = TestImages.Png(4, 8, 2, 3, paletteRows, ("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]), ("tRNS", [255, 0]));
        AssertBoxAverage(ImageLoader.Decode(palette), ImageLoader.DecodeScaled(palette, new ImageLimits { MaxDecodePixels = 8 }).Image, 2);

        byte[][] greyRows = [.. Enumerable.Range(0, 6).Select(y => Enumerable.Range(0, 6).SelectMany(x => new[] { (byte)(x * 40 + y), (byte)7 }).ToArray())];
        var grey = TestImages.Png(6, 6, 16, 0, greyRows);
        AssertBoxAverage(ImageLoader.Decode(grey), ImageLoader.DecodeScaled(grey, new ImageLimits { MaxDecodePixels = 9 }).Image, 2);
    }

    [Fact]
    public void A_JPEG_over_the_budget_is_scaled_by_the_decoder_itself()
    {
        var jpeg = TestImages.SkiaEncode(TestImages.Quadrants(800, 600), SKEncodedImageFormat.Jpeg, 95);
        var reduced = ImageLoader.DecodeScaled(jpeg, new ImageLimits { MaxDecodePixels = 40_000 });

        Assert.Equal((800, 600), (reduced.Width, reduced.Height));
        Assert.True((long)reduced.Image.Width * reduced.Image.Height <= 40_000, $"{reduced.Image.Width}x{reduced.Image.Height}");
        Assert.Equal(4.0, reduced.ScaleX, 1);
    }

    [Fact]
    public void Within_the_budget_or_without_one_the_image_is_decoded_at_full_size()
    {
        var png = TestImages.SkiaEncode(TestImages.Quadrants(40, 30), SKEncodedImageFormat.Png);
        Assert.False(ImageLoader.DecodeScaled(png, new ImageLimits { MaxDecodePixels = 1200 }).IsReduced);
        Assert.False(ImageLoader.DecodeScaled(png).IsReduced);
    }

    [Fact]
    public void A_zero_filled_40_Mpx_PNG_bomb_decodes_reduced_without_a_full_size_buffer()
    {
        var bomb = TestImages.Png(8000, 5000, 8, 2, [.. Enumerable.Repeat(new byte[8000 * 3], 5000)]);
        // This thread's count, not the process's: other test classes allocate in parallel. Decoding runs on the caller.
        long before = GC.GetAllocatedBytesForCurrentThread();

        var reduced = ImageLoader.DecodeScaled(bomb, new ImageLimits { MaxPixels = 40_000_000, MaxDecodePixels = 4_000_000 });

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((8000, 5000, 2000, 1250), (reduced.Width, reduced.Height, reduced.Image.Width, reduced.Image.Height));
        // The reduced RGB image is 7.5 MB; a full decode would allocate 160 MB of RGBA and 120 MB of RGB.
        Assert.True(allocated < 40_000_000, $"{allocated / 1e6:F0} MB allocated");
    }

    [Fact]
    public void An_interlaced_PNG_over_the_budget_is_refused_with_a_clear_message()
    {
        var png = TestImages.Png(64, 64, 8, 2, [.. Enumerable.Repeat(new byte[64 * 3], 64)]);
        png[28] = 1; // IHDR interlace method: Adam7 (the CRC no longer matches; the refusal comes before any decoding)
        var error = Assert.Throws<ImageLoadException>(() => ImageLoader.DecodeScaled(png, new ImageLimits { MaxDecodePixels = 1000 }));
        Assert.Contains("interlaced PNG", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each reduced pixel is the mean of its factor×factor box of the full image (partial boxes at the edges), ±1.</summary>
    private static void AssertBoxAverage(RgbImage full, RgbImage reduced, int factor)
    {
        Assert.Equal(((full.Width + factor - 1) / factor, (full.Height + factor - 1) / factor), (reduced.Width, reduced.Height));
        for (int oy = 0; oy < reduced.Height; oy++)
        {
            for (int ox = 0; ox < reduced.Width; ox++)
            {
                for (int c = 0; c < 3; c++)
                {
                    long sum = 0, n = 0;
                    for (int y = oy * factor; y < Math.Min(full.Height, (oy + 1) * factor); y++)
                    {
                        for (int x = ox * factor; x < Math.Min(full.Width, (ox + 1) * factor); x++, n++)
                            sum += full.Pixels[(y * full.Width + x) * 3 + c];
                    }

                    int expected = (int)((sum + n / 2) / n), actual = reduced.Pixels[(oy * reduced.Width + ox) * 3 + c];
                    Assert.True(Math.Abs(expected - actual) <= 1, $"pixel ({ox},{oy}) channel {c}: {actual}, box mean {expected}");
                }
            }
        }
    }
}
