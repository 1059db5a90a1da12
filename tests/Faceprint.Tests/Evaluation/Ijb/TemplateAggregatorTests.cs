using Faceprint.Detection;
using Faceprint.Evaluation.Ijb;

namespace Faceprint.Tests.Evaluation.Ijb;

public sealed class TemplateAggregatorTests
{
    private static readonly PointF[] NoLandmarks = [];

    [Fact]
    public void TemplateIsTheNormalisedSumOfItsMediaMeans()
    {
        // Template 5: media 1 holds two frames, media 2 one photo. Template 8: one photo.
        IjbImage[] images =
        [
            new("a", NoLandmarks, 1, 5, 1), new("b", NoLandmarks, 1, 8, 3), new("c", NoLandmarks, 1, 5, 2), new("d", NoLandmarks, 1, 5, 1),
        ];
        var aggregator = new TemplateAggregator(images, 2);
        aggregator.Add(3, [0, 4]);
        aggregator.Add(1, [3, -4]);
        aggregator.Add(0, [2, 0]);
        aggregator.Add(2, [0, 1]);

        var features = aggregator.TemplateFeatures(out var index);

        // Template 5: mean((2,0),(0,4)) + (0,1) = (1,3) → /√10. Template 8: (3,−4)/5.
        Assert.Equal(2, aggregator.TemplateCount);
        Assert.Equal(3, aggregator.MediaCount);
        var t5 = features.AsSpan(index[5] * 2, 2).ToArray();
        var t8 = features.AsSpan(index[8] * 2, 2).ToArray();
        Assert.Equal(1 / Math.Sqrt(10), t5[0], 6);
        Assert.Equal(3 / Math.Sqrt(10), t5[1], 6);
        Assert.Equal(0.6, t8[0], 6);
        Assert.Equal(-0.8, t8[1], 6);
    }

    [Fact]
    public void AnImageIsAddedOnce()
    {
        var aggregator = new TemplateAggregator([new IjbImage("a", NoLandmarks, 1, 1, 1)], 1);
        aggregator.Add(0, [1]);

        Assert.True(aggregator.Contains(0));
        Assert.Throws<InvalidOperationException>(() => aggregator.Add(0, [1]));
    }

    [Theory]
    // raw outputs: crop (1, 4), mirror (2, 0); detector score 0.5
    [InlineData(true, true, true, 1.5f, 2f)]       // (1+2, 4+0) · 0.5
    [InlineData(false, true, true, 0.5f, 2f)]      // (1, 4) · 0.5
    [InlineData(true, false, false, 0.6f, 0.8f)]   // (3, 4) / 5
    [InlineData(true, false, true, 0.3f, 0.4f)]    // (3, 4) / 5 · 0.5
    [InlineData(true, true, false, 3f, 4f)]        // (3, 4)
    public void FeatureCombinesFlipNormAndDetectorScore(bool flip, bool normScore, bool detectorScore, float x, float y)
    {
        var options = new IjbFeatureOptions { Flip = flip, NormScore = normScore, DetectorScore = detectorScore };
        var feature = new float[2];

        options.Combine([1, 4, 2, 0], 0.5f, feature);

        Assert.Equal(x, feature[0], 5);
        Assert.Equal(y, feature[1], 5);
    }
}
