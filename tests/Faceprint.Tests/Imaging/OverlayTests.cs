using CsCheck;
using Faceprint.Imaging;
using static Faceprint.Tests.Imaging.TestImages;

namespace Faceprint.Tests.Imaging;

public class OverlayTests
{
    private static RgbImage Gray(int w, int h) => Rgb(w, h, (_, _) => (128, 128, 128));

    [Fact]
    public void Draws_box_edges_and_landmarks_on_a_copy()
    {
        var img = Gray(100, 80);
        var original = (byte[])img.Pixels.Clone();
        float[] marks = [30, 30, 60, 30, 45, 45, 35, 60, 55, 60];
        var drawn = Overlay.DrawFaces(img, [(20f, 15f, 70f, 70f, marks)]);

        Assert.Equal(original, img.Pixels);
        Assert.Equal(Overlay.BoxColor, At(drawn, 45, 15));   // top edge
        Assert.Equal(Overlay.BoxColor, At(drawn, 45, 70));   // bottom edge
        Assert.Equal(Overlay.BoxColor, At(drawn, 20, 40));   // left edge
        Assert.Equal(Overlay.BoxColor, At(drawn, 70, 40));   // right edge
        Assert.Equal(((byte)128, (byte)128, (byte)128), At(drawn, 45, 52)); // inside, away from marks
        Assert.Equal(((byte)128, (byte)128, (byte)128), At(drawn, 5, 5));   // outside
        for (int k = 0; k < 5; k++)
            Assert.Equal(Overlay.LandmarkColors[k], At(drawn, (int)marks[2 * k], (int)marks[2 * k + 1]));
    }

    [Fact]
    public void Landmark_colours_are_distinct_from_each_other_and_from_the_box()
    {
        var all = Overlay.LandmarkColors.Append(Overlay.BoxColor).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void No_faces_gives_an_equal_copy()
    {
        var img = Gray(10, 10);
        var drawn = Overlay.DrawFaces(img, Array.Empty<(float, float, float, float, float[]?)>());
        Assert.NotSame(img.Pixels, drawn.Pixels);
        Assert.Equal(img.Pixels, drawn.Pixels);
    }

    [Fact]
    public void Boxes_without_landmarks_and_reversed_corners_are_drawn()
    {
        var drawn = Overlay.DrawFaces(Gray(50, 50), [(40f, 40f, 10f, 10f, null), (5f, 5f, 8f, 8f, [])]);
        Assert.Equal(Overlay.BoxColor, At(drawn, 10, 25));
        Assert.Equal(Overlay.BoxColor, At(drawn, 5, 6));
    }

    [Fact]
    public void Any_coordinates_are_clipped_never_throw() =>
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Float.Array[4], Gen.Float.Array[0, 12])
            .Sample((w, h, box, marks) =>
            {
                var drawn = Overlay.DrawFaces(Gray(w, h), [(box[0], box[1], box[2], box[3], marks)]);
                Assert.Equal((w, h), (drawn.Width, drawn.Height));
            });
}
