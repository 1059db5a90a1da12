using Faceprint.Detection;
using Faceprint.Imaging;

namespace Faceprint.Tests.Detection;

public sealed class FramePaddingTests
{
    [Fact]
    public void PadKeepsEveryPixelAtItsOffsetInsideABlackBorder()
    {
        var image = new RgbImage(3, 2, [.. Enumerable.Range(1, 18).Select(i => (byte)i)]);
        var padded = FramePadding.Pad(image, 2);

        Assert.Equal((7, 6), (padded.Width, padded.Height));
        for (int y = 0; y < padded.Height; y++)
            for (int x = 0; x < padded.Width; x++)
                for (int c = 0; c < 3; c++)
                {
                    bool inside = x is >= 2 and < 5 && y is >= 2 and < 4;
                    byte expected = inside ? image.Pixels[((y - 2) * 3 + (x - 2)) * 3 + c] : (byte)0;
                    Assert.Equal(expected, padded.Pixels[(y * 7 + x) * 3 + c]);
                }
    }

    [Fact]
    public void UnpadMovesBoxAndLandmarksBackAndMarksTheFace()
    {
        var face = new DetectedFace(new BoundingBox(10, 20, 50, 70), 0.9f, [new(15, 30), new(40, 31), new(28, 45), new(18, 60), new(38, 61)]);
        var back = FramePadding.Unpad(face, 10);

        Assert.Equal(new BoundingBox(0, 10, 40, 60), back.Box);
        Assert.Equal([new(5, 20), new(30, 21), new(18, 35), new(8, 50), new(28, 51)], back.Landmarks);
        Assert.True(back.FoundWithBorder);
        Assert.False(face.FoundWithBorder);
        Assert.Equal(0.9f, back.Score);
    }

    [Fact]
    public void UnpadUndoesTheRetrysDownscaleToo()
    {
        // Found at (30, 40)-(90, 120) on a copy scaled by 0.5 with a 10-pixel border.
        var face = new DetectedFace(new BoundingBox(30, 40, 90, 120), 0.9f, [new(40, 60), new(80, 60), new(60, 80), new(45, 100), new(75, 100)]);
        var back = FramePadding.Unpad(face, 10, 0.5f);
        Assert.Equal(new BoundingBox(40, 60, 160, 220), back.Box);
        Assert.Equal(new PointF(60, 100), back.Landmarks[0]);
    }

    [Fact]
    public void TheBorderIsAQuarterOfTheLongerSide() =>
        Assert.Equal(50, FramePadding.BorderFor(new RgbImage(200, 120)));
}
