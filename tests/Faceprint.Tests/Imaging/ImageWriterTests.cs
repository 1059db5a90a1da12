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
}
