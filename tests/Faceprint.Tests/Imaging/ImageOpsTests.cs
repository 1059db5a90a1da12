using CsCheck;
using Faceprint.Imaging;
using static Faceprint.Tests.Imaging.TestImages;

namespace Faceprint.Tests.Imaging;

public class ImageOpsTests
{
    private static readonly Gen<RgbImage> Image =
        from w in Gen.Int[1, 24]
        from h in Gen.Int[1, 24]
        from px in Gen.Byte.Array[w * h * 3]
        select new RgbImage(w, h, px);

    [Fact]
    public void Resize_of_a_constant_image_stays_constant() =>
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 30], Gen.Int[1, 60], Gen.Int[1, 60], Gen.Byte, Gen.Byte, Gen.Byte)
            .Sample((sw, sh, dw, dh, r, g, b) =>
            {
                var img = Rgb(sw, sh, (_, _) => (r, g, b));
                var out_ = ImageOps.Resize(img, dw, dh);
                Assert.Equal((dw, dh), (out_.Width, out_.Height));
                for (int i = 0; i < out_.Pixels.Length; i += 3)
                    Assert.Equal((r, g, b), (out_.Pixels[i], out_.Pixels[i + 1], out_.Pixels[i + 2]));
            });

    [Fact]
    public void Resize_to_the_same_size_is_an_identity_copy() =>
        Image.Sample(img =>
        {
            var r = ImageOps.Resize(img, img.Width, img.Height);
            Assert.NotSame(img.Pixels, r.Pixels);
            Assert.Equal(img.Pixels, r.Pixels);
        });

    [Fact]
    public void Resize_never_leaves_the_source_value_range() =>
        Gen.Select(Image, Gen.Int[1, 40], Gen.Int[1, 40]).Sample((img, w, h) =>
        {
            var r = ImageOps.Resize(img, w, h);
            for (int ch = 0; ch < 3; ch++)
            {
                var src = img.Pixels.Where((_, i) => i % 3 == ch).ToArray();
                var dst = r.Pixels.Where((_, i) => i % 3 == ch).ToArray();
                Assert.InRange(dst.Min(), src.Min(), src.Max());
                Assert.InRange(dst.Max(), src.Min(), src.Max());
            }
        });

    [Fact]
    public void Halving_averages_each_2x2_block() =>
        // Pixel-centre alignment puts each output sample exactly between four source pixels.
        (from w in Gen.Int[1, 10] from h in Gen.Int[1, 10] from px in Gen.Byte.Array[w * h * 12] select new RgbImage(w * 2, h * 2, px))
            .Sample(img =>
            {
                var r = ImageOps.Resize(img, img.Width / 2, img.Height / 2);
                for (int y = 0; y < r.Height; y++)
                    for (int x = 0; x < r.Width; x++)
                        for (int ch = 0; ch < 3; ch++)
                        {
                            int sum = 0;
                            for (int dy = 0; dy < 2; dy++)
                                for (int dx = 0; dx < 2; dx++)
                                    sum += img.Pixels[((2 * y + dy) * img.Width + 2 * x + dx) * 3 + ch];
                            int got = r.Pixels[(y * r.Width + x) * 3 + ch];
                            Assert.InRange(got, (int)Math.Floor(sum / 4.0), (int)Math.Ceiling(sum / 4.0));
                        }
            });

    [Fact]
    public void Resize_keeps_a_horizontal_gradient_monotonic()
    {
        var img = Rgb(10, 1, (x, _) => ((byte)(x * 25), 0, 0));
        var r = ImageOps.Resize(img, 37, 3);
        for (int x = 1; x < 37; x++)
            Assert.True(At(r, x, 1).R >= At(r, x - 1, 1).R);
        Assert.Equal(0, At(r, 0, 0).R);
        Assert.Equal(225, At(r, 36, 0).R);
    }

    [Fact]
    public void Crop_copies_the_pixels_at_the_offset() =>
        (from img in Image
         from x in Gen.Int[0, img.Width - 1]
         from y in Gen.Int[0, img.Height - 1]
         from w in Gen.Int[1, img.Width - x]
         from h in Gen.Int[1, img.Height - y]
         select (img, x, y, w, h))
        .Sample(t =>
        {
            var c = ImageOps.Crop(t.img, t.x, t.y, t.w, t.h);
            Assert.Equal((t.w, t.h), (c.Width, c.Height));
            for (int yy = 0; yy < t.h; yy++)
                for (int xx = 0; xx < t.w; xx++)
                    Assert.Equal(At(t.img, t.x + xx, t.y + yy), At(c, xx, yy));
        });

    [Fact]
    public void Crop_of_the_whole_image_round_trips_and_crops_compose() =>
        Image.Sample(img =>
        {
            Assert.Equal(img.Pixels, ImageOps.Crop(img, 0, 0, img.Width, img.Height).Pixels);
            if (img.Width >= 3 && img.Height >= 3)
            {
                var twice = ImageOps.Crop(ImageOps.Crop(img, 1, 1, img.Width - 1, img.Height - 1), 1, 1, img.Width - 2, img.Height - 2);
                Assert.Equal(ImageOps.Crop(img, 2, 2, img.Width - 2, img.Height - 2).Pixels, twice.Pixels);
            }
        });

    [Theory]
    [InlineData(-1, 0, 2, 2)]
    [InlineData(0, -1, 2, 2)]
    [InlineData(3, 0, 2, 2)]
    [InlineData(0, 3, 2, 2)]
    [InlineData(0, 0, 0, 2)]
    [InlineData(0, 0, 2, 0)]
    [InlineData(int.MaxValue, 0, int.MaxValue, 1)]
    public void Crop_outside_the_image_is_rejected(int x, int y, int w, int h) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Crop(new RgbImage(4, 4), x, y, w, h));
}
