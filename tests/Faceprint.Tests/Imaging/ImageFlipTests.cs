using Faceprint.Imaging;

namespace Faceprint.Tests.Imaging;

public sealed class ImageFlipTests
{
    [Fact]
    public void MirrorsEachRowLeftToRightKeepingChannelOrder()
    {
        // 3×2: pixels (r, g, b) = (10x + y, 100 + x, 200 + y).
        var image = new RgbImage(3, 2);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
            {
                int i = (y * 3 + x) * 3;
                image.Pixels[i] = (byte)(10 * x + y);
                image.Pixels[i + 1] = (byte)(100 + x);
                image.Pixels[i + 2] = (byte)(200 + y);
            }

        var flipped = ImageOps.FlipHorizontal(image);

        Assert.Equal((3, 2), (flipped.Width, flipped.Height));
        Assert.Equal(new byte[] { 20, 102, 200, 10, 101, 200, 0, 100, 200, 21, 102, 201, 11, 101, 201, 1, 100, 201 }, flipped.Pixels);
        Assert.Equal(image.Pixels, ImageOps.FlipHorizontal(flipped).Pixels);
    }
}
