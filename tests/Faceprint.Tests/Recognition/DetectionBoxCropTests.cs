using Faceprint.Alignment;
using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Import.TfJs;
using Faceprint.Preprocessing;
using Faceprint.Recognition;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Recognition;

/// <summary>HSE_FaceRec_tf's crop: the detector box plus a fixed pixel margin, clipped to the photo, resized without rotation.</summary>
public sealed class DetectionBoxCropTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var image = new RgbImage(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int at = (y * w + x) * 3;
                image.Pixels[at] = (byte)(x * 4);
                image.Pixels[at + 1] = (byte)(y * 4);
                image.Pixels[at + 2] = 100;
            }
        return image;
    }

    [Fact]
    public void Box_grows_by_the_margin_and_is_resized()
    {
        var image = Gradient(60, 50);
        var face = new DetectedFace(new BoundingBox(20, 15, 36, 31), 1f, []);
        var crop = new DetectionBoxCrop(8, 2f);
        var actual = new float[8 * 8 * 3];
        crop.Into(image, face, new InputNormalization(0, 1), actual);
        var expected = new float[8 * 8 * 3];
        InputSampler.ResizeRegion(image, 18, 13, 20, 20, 8, 8, new InputNormalization(0, 1), transpose: false, expected);
        Assert.Equal(expected, actual);
        Assert.False(crop.TakesAlignedFaces);
    }

    [Fact]
    public void Margin_is_clipped_at_the_photo_edge()
    {
        var image = Gradient(60, 50);
        var face = new DetectedFace(new BoundingBox(1, 2, 21, 22), 1f, []);
        var actual = new float[10 * 10 * 3];
        new DetectionBoxCrop(10, 5f).Into(image, face, new InputNormalization(0, 1), actual);
        var expected = new float[10 * 10 * 3];
        InputSampler.ResizeRegion(image, 0, 0, 26, 27, 10, 10, new InputNormalization(0, 1), transpose: false, expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Embedder_with_a_box_crop_embeds_detected_faces_and_refuses_aligned_ones()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 8, 8, 3);
        g.Ints("axes", [2], [1, 2]);
        g.Node("mean", "Mean", ["x", "axes"]);
        var embedder = new FaceEmbedder(TfJsImporter.ImportGraph(g.Build(), "mean"), new InputNormalization(0, 1), 1, new DetectionBoxCrop(8, 2f));
        var image = Gradient(60, 50);
        var face = new DetectedFace(new BoundingBox(20, 15, 36, 31), 1f, []);

        var e = embedder.Embed(image, [face]);
        Assert.Equal(3, embedder.Dimension);
        Assert.Equal(1.0, Math.Sqrt(e[0].Sum(v => (double)v * v)), 5);
        Assert.Throws<FaceprintException>(() => embedder.EmbedAligned([new RgbImage(112, 112)]));
    }
}
