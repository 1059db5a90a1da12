using CsCheck;
using Faceprint.Imaging;

namespace Faceprint.Tests.Imaging;

public class ImageWriterTests
{
    [Fact]
    public void Png_encoding_round_trips_exactly() =>
        Gen.Int[1, 20].SelectMany(w => Gen.Int[1, 20].SelectMany(h => Gen.Byte.Array[w * h * 3].Select(p => new RgbImage(w, h, p))))
            .Sample(img =>
            {
                var back = ImageLoader.Decode(ImageWriter.EncodePng(img));
                Assert.Equal((img.Width, img.Height), (back.Width, back.Height));
                Assert.Equal(img.Pixels, back.Pixels);
            }, iter: 50);

    [Fact]
    public void SavePng_creates_missing_folders_and_writes_a_png()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "out", "nested", "overlay.png");
        var img = TestImages.Quadrants(10, 6);
        ImageWriter.SavePng(img, path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(TestImages.PngSignature, bytes[..8]);
        Assert.Equal(img.Pixels, ImageLoader.Decode(bytes).Pixels);
    }

    [Fact]
    public void SavePng_to_an_unwritable_place_raises_a_faceprint_error()
    {
        using var dir = new TempDir();
        string blocker = dir.File("file");
        File.WriteAllText(blocker, "x");
        // A path "under" a regular file cannot be created.
        var ex = Assert.Throws<FaceprintException>(() => ImageWriter.SavePng(TestImages.Quadrants(2, 2), Path.Combine(blocker, "a.png")));
        Assert.Contains("cannot write", ex.Message);
    }

    [Theory]
    [InlineData("overlay.png", false)]
    [InlineData("overlay.PNG", false)]
    [InlineData("overlay.jpg", true)]
    [InlineData("overlay.JPEG", true)]
    public void Save_writes_the_format_the_extension_names(string name, bool jpeg)
    {
        using var dir = new TempDir();
        string path = dir.File(name);
        var img = TestImages.Quadrants(32, 24);
        ImageWriter.Save(img, path);
        var bytes = File.ReadAllBytes(path);
        if (jpeg)
            Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, bytes[..3]);
        else
            Assert.Equal(TestImages.PngSignature, bytes[..8]);
        var back = ImageLoader.Decode(bytes);
        Assert.Equal((img.Width, img.Height), (back.Width, back.Height));
        // JPEG is lossy; flat quadrants at quality 95 stay within a few levels away from the edges.
        Assert.InRange(Math.Abs(back.Pixels[(5 * 32 + 5) * 3] - img.Pixels[(5 * 32 + 5) * 3]), 0, jpeg ? 8 : 0);
    }

    [Theory]
    [InlineData("overlay.gif")]
    [InlineData("overlay")]
    [InlineData("overlay.jpg.txt")]
    public void Save_refuses_an_extension_it_cannot_honour_and_writes_nothing(string name)
    {
        using var dir = new TempDir();
        string path = dir.File(name);
        Assert.Null(ImageWriter.FormatOf(path));
        var ex = Assert.Throws<FaceprintException>(() => ImageWriter.Save(TestImages.Quadrants(2, 2), path));
        Assert.Contains("unknown image extension", ex.Message);
        Assert.False(File.Exists(path));
    }
}
