using CsCheck;
using Faceprint.Imaging;
using static Faceprint.Tests.Imaging.TestImages;

namespace Faceprint.Tests.Imaging;

public class ExifOrientationTests
{
    private static readonly Gen<RgbImage> SmallImage =
        from w in Gen.Int[1, 7]
        from h in Gen.Int[1, 7]
        from px in Gen.Byte.Array[w * h * 3]
        select new RgbImage(w, h, px);

    // 3x2 stored image with labelled pixels a..f:  a b c / d e f
    private static readonly RgbImage Labelled = Rgb(3, 2, (x, y) => ((byte)('a' + y * 3 + x), 0, 0));

    private static string Labels(RgbImage img) =>
        string.Join("/", Enumerable.Range(0, img.Height).Select(y =>
            new string(Enumerable.Range(0, img.Width).Select(x => (char)At(img, x, y).R).ToArray())));

    [Theory]
    [InlineData(1, "abc/def")]
    [InlineData(2, "cba/fed")] // mirrored left-right
    [InlineData(3, "fed/cba")] // rotated 180
    [InlineData(4, "def/abc")] // mirrored top-bottom
    [InlineData(5, "ad/be/cf")] // transposed
    [InlineData(6, "da/eb/fc")] // rotated 90 clockwise
    [InlineData(7, "fc/eb/da")] // transverse
    [InlineData(8, "cf/be/ad")] // rotated 90 counter-clockwise
    public void Each_orientation_maps_pixels_as_exif_defines(int orientation, string expected) =>
        Assert.Equal(expected, Labels(ExifOrientation.Apply(Labelled, orientation)));

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(-1)]
    public void Unknown_values_leave_the_image_alone(int orientation) =>
        Assert.Same(Labelled, ExifOrientation.Apply(Labelled, orientation));

    [Fact]
    public void Mirrors_and_half_turns_are_their_own_inverse() =>
        SmallImage.Sample(img =>
        {
            foreach (int o in new[] { 2, 3, 4, 5, 7 })
                Assert.Equal(img.Pixels, ExifOrientation.Apply(ExifOrientation.Apply(img, o), o).Pixels);
        });

    [Fact]
    public void Quarter_turns_undo_each_other_and_four_make_a_full_turn() =>
        SmallImage.Sample(img =>
        {
            Assert.Equal(img.Pixels, ExifOrientation.Apply(ExifOrientation.Apply(img, 6), 8).Pixels);
            var r = img;
            for (int i = 0; i < 4; i++)
                r = ExifOrientation.Apply(r, 6);
            Assert.Equal((img.Width, img.Height), (r.Width, r.Height));
            Assert.Equal(img.Pixels, r.Pixels);
        });
}
