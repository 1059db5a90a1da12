using Faceprint.Detection;
using Faceprint.Liveness;

namespace Faceprint.Tests.Liveness;

/// <summary>The model-free parts of the liveness scorer: the crop rule, the blur count and the score combination.</summary>
public sealed class LivenessPartsTests
{
    [Fact]
    public void CropGrowsTheShorterSideAboutTheCentre()
    {
        var crop = LivenessCrop.Square(new BoundingBox(100, 50, 140, 130), 400, 300);
        Assert.Equal(new BoundingBox(80, 50, 160, 130), crop);
    }

    [Fact]
    public void CropMovesBackInsideThePhotoOneAxisAtATime()
    {
        // Out on the left only: x moves, y stays centred on the face.
        var left = LivenessCrop.Square(new BoundingBox(-20, 100, 60, 160), 400, 300);
        Assert.Equal(new BoundingBox(0, 90, 80, 170), left);
        // Out at the bottom right.
        var corner = LivenessCrop.Square(new BoundingBox(350, 260, 420, 330), 400, 300);
        Assert.Equal(new BoundingBox(330, 230, 400, 300), corner);
    }

    [Fact]
    public void CropLargerThanThePhotoStaysCentred()
    {
        var crop = LivenessCrop.Square(new BoundingBox(-10, -10, 110, 90), 100, 80);
        Assert.Equal(new BoundingBox(-10, -20, 110, 100), crop);
    }

    [Fact]
    public void CropOfAnEmptyBoxIsRefused() =>
        Assert.Throws<ArgumentException>(() => LivenessCrop.Square(new BoundingBox(10, 10, 10, 10), 100, 100));

    [Fact]
    public void SharpnessCountsPixelsWhoseLaplacianExceedsTheLevel()
    {
        const int size = 8;
        var flat = Enumerable.Repeat(0.5f, size * size * 3).ToArray();
        Assert.Equal(0, SharpnessMeter.Count(flat, size));

        // One dark pixel in a bright field: its four bright neighbours give +4·(255 − 0) there, and each neighbour sees
        // −255 + ... < 0, so exactly one interior pixel counts.
        var dot = Enumerable.Repeat(1f, size * size * 3).ToArray();
        int at = 3 * size + 4;
        dot[3 * at] = dot[3 * at + 1] = dot[3 * at + 2] = 0;
        Assert.Equal(1, SharpnessMeter.Count(dot, size));

        // A faint dot (grey 240 in 255) gives 4·15 = 60 > 50; a fainter one (245) 40, below the level.
        var faint = Enumerable.Repeat(1f, size * size * 3).ToArray();
        faint[3 * at] = faint[3 * at + 1] = faint[3 * at + 2] = 240 / 255f;
        Assert.Equal(1, SharpnessMeter.Count(faint, size));
        faint[3 * at] = faint[3 * at + 1] = faint[3 * at + 2] = 245 / 255f;
        Assert.Equal(0, SharpnessMeter.Count(faint, size));
    }

    [Fact]
    public void ScoreIsTheChosenLeafsAbsoluteValue()
    {
        float[] scores = [0.9f, -0.3f, 0.05f, 0.7f, 0, 0, 0, 0];
        var (score, leaf) = AntiSpoofingScorer.Combine(scores, [0, 1, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(0.3f, score);
        Assert.Equal(1, leaf);
        Assert.Throws<ArgumentException>(() => AntiSpoofingScorer.Combine(scores, [1, 0]));
    }
}
