using System.Diagnostics;
using CsCheck;
using Faceprint.Imaging;
using SkiaSharp;
using static Faceprint.Tests.Imaging.TestImages;

namespace Faceprint.Tests.Imaging;

public class ImageLoaderTests
{
    private static readonly (byte, byte, byte) Red = (255, 0, 0), Green = (0, 255, 0), Blue = (0, 0, 255), White = (255, 255, 255);

    // ---- formats -------------------------------------------------------------------------------------------

    [Fact]
    public void Png_round_trips_exactly()
    {
        var src = Rgb(7, 5, (x, y) => ((byte)(x * 36), (byte)(y * 50), (byte)(x * y * 7)));
        var img = ImageLoader.Decode(SkiaEncode(src, SKEncodedImageFormat.Png));
        Assert.Equal((7, 5), (img.Width, img.Height));
        Assert.Equal(src.Pixels, img.Pixels);
    }

    [Fact]
    public void Jpeg_decodes_with_the_right_size_and_colours()
    {
        var img = ImageLoader.Decode(SkiaEncode(Quadrants(32, 16), SKEncodedImageFormat.Jpeg));
        Assert.Equal((32, 16), (img.Width, img.Height));
        AssertNear(Red, At(img, 2, 2), 12);
        AssertNear(Green, At(img, 29, 2), 12);
        AssertNear(Blue, At(img, 2, 13), 12);
        AssertNear(White, At(img, 29, 13), 12);
    }

    [Fact]
    public async Task Real_jpeg_photo_loads_from_a_path()
    {
        var img = await ImageLoader.LoadAsync(DataPath("face0.jpg"));
        Assert.Equal((112, 131), (img.Width, img.Height));
        Assert.Contains(img.Pixels, b => b is > 20 and < 235); // a photo, not a blank buffer
    }

    [Fact]
    public async Task Webp_is_detected_by_content_not_by_the_jpg_extension()
    {
        var img = await ImageLoader.LoadAsync(DataPath("img47.jpg"));
        Assert.Equal((1350, 1800), (img.Width, img.Height));
    }

    [Fact]
    public void Lossless_webp_round_trips_exactly()
    {
        var src = Rgb(9, 4, (x, y) => ((byte)(x * 28), (byte)(255 - y * 60), (byte)(x + y)));
        var img = ImageLoader.Decode(SkiaEncode(src, SKEncodedImageFormat.Webp));
        Assert.Equal(src.Pixels, img.Pixels);
    }

    [Fact]
    public void Rgba_png_is_composited_over_white()
    {
        // Columns: opaque red, transparent red, half-transparent red, opaque black.
        byte[] alpha = [255, 0, 128, 255];
        var png = SkiaEncode(4, 1, (x, _) => x == 3 ? ((byte)0, (byte)0, (byte)0, (byte)255) : ((byte)255, (byte)0, (byte)0, alpha[x]), SKEncodedImageFormat.Png);
        var img = ImageLoader.Decode(png);
        Assert.Equal(Red, At(img, 0, 0));
        Assert.Equal(White, At(img, 1, 0));
        Assert.Equal(((byte)255, (byte)127, (byte)127), At(img, 2, 0)); // 255·(127/255) ≈ 127 of white shows through
        Assert.Equal(((byte)0, (byte)0, (byte)0), At(img, 3, 0));
    }

    [Fact]
    public void Grayscale_png_expands_to_equal_channels()
    {
        var png = Png(3, 1, 8, 0, [[0, 100, 255]]);
        var img = ImageLoader.Decode(png);
        Assert.Equal(new byte[] { 0, 0, 0, 100, 100, 100, 255, 255, 255 }, img.Pixels);
    }

    [Fact]
    public void Gray_alpha_png_is_composited_over_white()
    {
        var png = Png(2, 1, 8, 4, [[50, 255, 50, 0]]);
        var img = ImageLoader.Decode(png);
        Assert.Equal(new byte[] { 50, 50, 50, 255, 255, 255 }, img.Pixels);
    }

    [Fact]
    public void Sixteen_bit_png_is_reduced_to_8_bit()
    {
        // One RGB pixel per 16-bit channel value: 0x0000, 0x8080, 0xFFFF.
        var png = Png(1, 1, 16, 2, [[0x00, 0x00, 0x80, 0x80, 0xFF, 0xFF]]);
        var img = ImageLoader.Decode(png);
        Assert.Equal(new byte[] { 0, 128, 255 }, img.Pixels);
    }

    [Fact]
    public void Palette_png_with_transparency_maps_indices()
    {
        byte[] plte = [255, 0, 0, 0, 255, 0, 0, 0, 255];
        byte[] trns = [255, 255, 0]; // index 2 fully transparent
        var png = Png(3, 1, 8, 3, [[0, 1, 2]], ("PLTE", plte), ("tRNS", trns));
        var img = ImageLoader.Decode(png);
        Assert.Equal(Red, At(img, 0, 0));
        Assert.Equal(Green, At(img, 1, 0));
        Assert.Equal(White, At(img, 2, 0));
    }

    [Fact]
    public void Cmyk_jpeg_is_converted_to_rgb()
    {
        var img = ImageLoader.Decode(CmykJpeg);
        Assert.Equal((16, 8), (img.Width, img.Height));
        AssertNear(Red, At(img, 2, 4), 30);
        AssertNear(Blue, At(img, 13, 4), 30);
    }

    [Fact]
    public void Gif_gives_the_first_frame()
    {
        var img = ImageLoader.Decode(TwoFrameGif);
        Assert.Equal((8, 4), (img.Width, img.Height));
        Assert.All(Enumerable.Range(0, 32), i => Assert.Equal(Red, At(img, i % 8, i / 8)));
    }

    [Fact]
    public void Bmp_decodes_exactly()
    {
        var src = Rgb(5, 3, (x, y) => ((byte)(x * 50), (byte)(y * 100), (byte)(200 - x * 10)));
        var img = ImageLoader.Decode(Bmp24(src));
        Assert.Equal(src.Pixels, img.Pixels);
    }

    // ---- EXIF orientation ----------------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Exif_orientation_in_a_jpeg_is_applied(int orientation)
    {
        var jpeg = SkiaEncode(Quadrants(32, 16), SKEncodedImageFormat.Jpeg);
        var stored = ImageLoader.Decode(jpeg);
        var upright = ImageLoader.Decode(WithExifOrientation(jpeg, orientation));
        // Same compressed pixels either way, so the only difference must be the orientation transform.
        var expected = ExifOrientation.Apply(stored, orientation);
        Assert.Equal((expected.Width, expected.Height), (upright.Width, upright.Height));
        Assert.Equal(expected.Pixels, upright.Pixels);
        Assert.Equal(orientation >= 5 ? (16, 32) : (32, 16), (upright.Width, upright.Height));
    }

    [Fact]
    public void Exif_orientation_6_rotates_clockwise()
    {
        // Stored: red top-left, green top-right, blue bottom-left, white bottom-right.
        // Rotated 90° clockwise: blue top-left, red top-right, white bottom-left, green bottom-right.
        var img = ImageLoader.Decode(WithExifOrientation(SkiaEncode(Quadrants(32, 16), SKEncodedImageFormat.Jpeg), 6));
        AssertNear(Blue, At(img, 2, 2), 12);
        AssertNear(Red, At(img, 13, 2), 12);
        AssertNear(White, At(img, 2, 29), 12);
        AssertNear(Green, At(img, 13, 29), 12);
    }

    // ---- errors --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Missing_file_says_file_not_found()
    {
        using var dir = new TempDir();
        string path = dir.File("nope.jpg");
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path));
        Assert.Equal($"file not found: {path}", ex.Message);
    }

    [Fact]
    public async Task Directory_is_not_an_image()
    {
        using var dir = new TempDir();
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(dir.Path));
        Assert.Contains("is a directory", ex.Message);
    }

    [Fact]
    public async Task Empty_file_says_empty()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.jpg");
        await File.WriteAllBytesAsync(path, []);
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path));
        Assert.Equal($"{path}: empty file", ex.Message);
    }

    [Fact]
    public async Task Text_file_is_not_an_image()
    {
        using var dir = new TempDir();
        string path = dir.File("notes.jpg");
        await File.WriteAllTextAsync(path, "name,score\nalice,0.9\n");
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path));
        AssertOneLine(ex);
        Assert.StartsWith(path + ": not an image", ex.Message);
    }

    [Fact]
    public async Task Truncated_jpeg_is_an_error_that_says_truncated()
    {
        using var dir = new TempDir();
        var full = await File.ReadAllBytesAsync(DataPath("face0.jpg"));
        string path = dir.File("half.jpg");
        await File.WriteAllBytesAsync(path, full[..(full.Length / 2)]);
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path));
        AssertOneLine(ex);
        Assert.StartsWith(path + ":", ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("JPEG", ex.Message);
    }

    [Fact]
    public void Truncated_png_is_an_error_that_says_truncated()
    {
        var src = Rgb(64, 64, (x, y) => ((byte)(x * 4), (byte)(y * 4), (byte)((x ^ y) * 4)));
        var png = SkiaEncode(src, SKEncodedImageFormat.Png);
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(png.AsSpan(0, png.Length * 2 / 3), sourceName: "cut.png"));
        AssertOneLine(ex);
        Assert.Contains("truncated", ex.Message);
        Assert.StartsWith("cut.png:", ex.Message);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_truncated()
    {
        var jpeg = SkiaEncode(Quadrants(32, 16), SKEncodedImageFormat.Jpeg);
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(jpeg.AsSpan(0, 40), sourceName: "x.jpg"));
        AssertOneLine(ex);
        Assert.Contains("JPEG", ex.Message);
    }

    [Fact]
    public void Decompression_bomb_header_fails_fast_without_allocating()
    {
        var bomb = PngBombHeader(30000, 30000);
        ImageLoadException? ex = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        try { ImageLoader.Decode(bomb, sourceName: "bomb.png"); }
        catch (ImageLoadException e) { ex = e; }
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(ex);
        Assert.Equal("bomb.png is 30000x30000 = 900 Mpx, over the 64 Mpx limit", ex.Message);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes refusing a bomb");
        Assert.True(sw.ElapsedMilliseconds < 2000, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Bomb_file_names_the_path()
    {
        using var dir = new TempDir();
        string path = dir.File("big.png");
        await File.WriteAllBytesAsync(path, PngBombHeader(30000, 30000));
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path));
        Assert.Equal($"{path} is 30000x30000 = 900 Mpx, over the 64 Mpx limit", ex.Message);
    }

    [Fact]
    public void Pixel_limit_is_configurable_and_exact_counts_show_when_rounding_hides_the_difference()
    {
        var png = SkiaEncode(Rgb(100, 100, (_, _) => (1, 2, 3)), SKEncodedImageFormat.Png);
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(png, new ImageLimits { MaxPixels = 5000 }, "small.png"));
        Assert.Equal("small.png is 100x100 = 10000 px, over the 5000 px limit", ex.Message);
        Assert.Equal(100, ImageLoader.Decode(png, new ImageLimits { MaxPixels = 10_000 }).Width);
    }

    [Fact]
    public async Task Byte_limit_is_checked_before_reading()
    {
        using var dir = new TempDir();
        string path = dir.File("a.png");
        var png = SkiaEncode(Rgb(40, 40, (x, y) => ((byte)x, (byte)y, 0)), SKEncodedImageFormat.Png);
        await File.WriteAllBytesAsync(path, png);
        var limits = new ImageLimits { MaxBytes = 100 };
        var ex = await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(path, limits));
        AssertOneLine(ex);
        Assert.Contains("over the 100 byte limit", ex.Message);
        Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(png, limits));
        await Assert.ThrowsAsync<ImageLoadException>(() => ImageLoader.LoadAsync(new NonSeekableStream(new MemoryStream(png)), limits));
    }

    [Fact]
    public void Defaults_are_64_megapixels_and_100_megabytes()
    {
        Assert.Equal(64_000_000, ImageLimits.Default.MaxPixels);
        Assert.Equal(100_000_000, ImageLimits.Default.MaxBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxPixels = 0 });
    }

    [Fact]
    public void Tiff_is_reported_as_unsupported()
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(tiff, sourceName: "scan.tif"));
        Assert.StartsWith("scan.tif: unsupported image format TIFF", ex.Message);
    }

    [Fact]
    public void Random_binary_is_not_a_recognised_format()
    {
        var junk = new byte[500];
        new Random(7).NextBytes(junk);
        junk[0] = 0; // keep it from looking like text or a known signature
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(junk, sourceName: "blob.bin"));
        Assert.StartsWith("blob.bin: not a recognised image format", ex.Message);
    }

    [Fact]
    public async Task Stream_overload_reads_non_seekable_streams_and_names_the_source()
    {
        var src = Rgb(6, 6, (x, y) => ((byte)(x * 40), (byte)(y * 40), 9));
        var img = await ImageLoader.LoadAsync(new NonSeekableStream(new MemoryStream(SkiaEncode(src, SKEncodedImageFormat.Png))));
        Assert.Equal(src.Pixels, img.Pixels);

        var ex = await Assert.ThrowsAsync<ImageLoadException>(() =>
            ImageLoader.LoadAsync(new MemoryStream("hello"u8.ToArray()), sourceName: "upload #3"));
        Assert.StartsWith("upload #3: not an image", ex.Message);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageLoader.LoadAsync(DataPath("face0.jpg"), ct: cts.Token));
    }

    [Fact]
    public void Names_with_line_breaks_still_give_one_line_messages()
    {
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode([], sourceName: "a\nb.jpg"));
        AssertOneLine(ex);
    }

    // ---- robustness ----------------------------------------------------------------------------------------

    [Fact]
    public void Damaged_images_only_ever_raise_ImageLoadException_with_one_line()
    {
        var png = SkiaEncode(Rgb(24, 24, (x, y) => ((byte)(x * 10), (byte)(y * 10), (byte)(x * y))), SKEncodedImageFormat.Png);
        var jpeg = SkiaEncode(Quadrants(24, 24), SKEncodedImageFormat.Jpeg, 80);
        var gen =
            from which in Gen.Int[0, 2]
            from cut in Gen.Double[0.0, 1.0]
            from flips in Gen.Int[0, 8].SelectMany(n => Gen.Select(Gen.Double[0.0, 1.0], Gen.Byte).Array[n])
            select (which, cut, flips);

        gen.Sample(t =>
        {
            byte[] source = t.which switch { 0 => png, 1 => jpeg, _ => CmykJpeg };
            var data = source[..Math.Max(1, (int)(source.Length * t.cut))];
            foreach (var (pos, value) in t.flips)
                data[(int)(pos * (data.Length - 1))] = value;
            try
            {
                var img = ImageLoader.Decode(data, sourceName: "fuzz");
                Assert.Equal((long)img.Width * img.Height * 3, img.Pixels.Length);
            }
            catch (ImageLoadException ex)
            {
                AssertOneLine(ex);
                Assert.StartsWith("fuzz", ex.Message);
            }
        }, iter: 400);
    }

    private static void AssertOneLine(Exception ex)
    {
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
    }
}
