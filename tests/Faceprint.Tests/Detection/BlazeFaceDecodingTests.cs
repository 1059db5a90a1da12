using Faceprint.Detection;
using Faceprint.Detection.BlazeFace;
using Faceprint.Imaging;

namespace Faceprint.Tests.Detection;

/// <summary>Anchors, decoding, weighted suppression and letterboxing of BlazeFace, on hand-made values.</summary>
public sealed class BlazeFaceDecodingTests
{
    [Fact]
    public void ShortRangeAnchorsAreTwoPerCellOn16x16ThenSixPerCellOn8x8()
    {
        var a = SsdAnchors.Centres(BlazeFaceSpec.For(BlazeFaceModel.ShortRange));
        Assert.Equal(896 * 2, a.Length);
        // Anchors 0 and 1 share cell (0, 0) of the 16×16 grid; anchor 2 is cell (1, 0).
        Assert.Equal([0.5f / 16, 0.5f / 16, 0.5f / 16, 0.5f / 16, 1.5f / 16, 0.5f / 16], a[..6]);
        // The 8×8 grid starts at anchor 512 and holds six anchors per cell (three stride-16 layers, two each).
        Assert.Equal(0.5f / 8, a[2 * 512]);
        Assert.Equal(0.5f / 8, a[2 * 517]);
        Assert.Equal(1.5f / 8, a[2 * 518]);
        Assert.Equal(7.5f / 8, a[^1]);
    }

    [Fact]
    public void FullRangeAnchorsAreOnePerCellOf48x48()
    {
        var a = SsdAnchors.Centres(BlazeFaceSpec.For(BlazeFaceModel.FullRange));
        Assert.Equal(2304 * 2, a.Length);
        Assert.Equal(1.5f / 48, a[2]);
        Assert.Equal(0.5f / 48, a[2 * 48 + 0]);
        Assert.Equal(1.5f / 48, a[2 * 48 + 1]);
    }

    [Fact]
    public void DecodesBoxAndKeypointsRelativeToTheAnchorInInputPixels()
    {
        var spec = BlazeFaceSpec.For(BlazeFaceModel.ShortRange);
        float[] anchors = [0.25f, 0.5f, 0.75f, 0.5f];
        var regressors = new float[32];
        // Anchor 1: centre moved by (+12.8, −6.4) px of 128, size 32×64 px, keypoint k at (k, −k) px from the anchor.
        regressors[16] = 12.8f;
        regressors[17] = -6.4f;
        regressors[18] = 32f;
        regressors[19] = 64f;
        for (int k = 0; k < 6; k++)
        {
            regressors[16 + 4 + 2 * k] = k;
            regressors[16 + 5 + 2 * k] = -k;
        }
        float[] logits = [-3f, 2f]; // sigmoid: 0.047 (dropped at 0.5), 0.881
        var found = new List<BlazeCandidate>();

        BlazeFaceDecoder.Decode(regressors, logits, anchors, spec, 0.5f, found);

        var c = Assert.Single(found);
        Assert.Equal(1f / (1f + MathF.Exp(-2f)), c.Score, 6);
        Assert.Equal(0.85f - 0.125f, c.XMin, 5);
        Assert.Equal(0.85f + 0.125f, c.XMax, 5);
        Assert.Equal(0.45f - 0.25f, c.YMin, 5);
        Assert.Equal(0.45f + 0.25f, c.YMax, 5);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(0.75f + k / 128f, c.Keypoints[2 * k], 5);
            Assert.Equal(0.5f - k / 128f, c.Keypoints[2 * k + 1], 5);
        }
    }

    [Fact]
    public void ScoresAreClippedAndNegativeSizesDropped()
    {
        var spec = BlazeFaceSpec.For(BlazeFaceModel.FullRange);
        float[] anchors = [0.5f, 0.5f, 0.5f, 0.5f];
        var regressors = new float[32];
        regressors[2] = regressors[3] = 10f;
        regressors[18] = -1f; // negative width
        regressors[19] = 10f;
        var found = new List<BlazeCandidate>();
        BlazeFaceDecoder.Decode(regressors, [1e6f, 50f], anchors, spec, 0.6f, found);
        var c = Assert.Single(found);
        Assert.Equal(1f / (1f + MathF.Exp(-100f)), c.Score);
    }

    [Fact]
    public void WeightedSuppressionBlendsOverlappingBoxesByScore()
    {
        var a = Box(0.0f, 0.0f, 0.4f, 0.4f, 0.9f, 1f);
        var b = Box(0.1f, 0.0f, 0.5f, 0.4f, 0.6f, 2f); // IoU with a = 0.6
        var far = Box(0.6f, 0.6f, 0.9f, 0.9f, 0.7f, 3f);

        var kept = WeightedNonMaxSuppression.Apply([b, far, a], 0.3f);

        Assert.Equal(2, kept.Count);
        var merged = kept[0];
        Assert.Equal(0.9f, merged.Score);
        Assert.Equal((0.9f * 0.0f + 0.6f * 0.1f) / 1.5f, merged.XMin, 5);
        Assert.Equal((0.9f * 0.4f + 0.6f * 0.5f) / 1.5f, merged.XMax, 5);
        Assert.Equal((0.9f * 1f + 0.6f * 2f) / 1.5f, merged.Keypoints[0], 5);
        Assert.Equal(0.7f, kept[1].Score);
        Assert.Equal(3f, kept[1].Keypoints[5], 5);
    }

    [Fact]
    public void LetterboxCentresTheImageInASquareOfItsLongSide()
    {
        var wide = Letterbox.For(new RgbImage(640, 480));
        Assert.Equal(new Letterbox(0, -80, 640), wide);
        Assert.Equal(new PointF(320, 240), wide.ToEdges(0.5f, 0.5f));
        Assert.Equal(new PointF(0, -80), wide.ToEdges(0, 0));
        Assert.Equal(new PointF(319.5f, 239.5f), wide.ToPixels(0.5f, 0.5f));
        var tall = Letterbox.For(new RgbImage(100, 300));
        Assert.Equal(new PointF(-100, 0), tall.ToEdges(0, 0));
        Assert.Equal(new PointF(200, 300), tall.ToEdges(1, 1));
    }

    private static BlazeCandidate Box(float x1, float y1, float x2, float y2, float score, float keypoint)
    {
        var c = new BlazeCandidate { XMin = x1, YMin = y1, XMax = x2, YMax = y2, Score = score };
        Array.Fill(c.Keypoints, keypoint);
        return c;
    }
}
