using Faceprint.Core.Weights;
using Faceprint.Imaging;
using Faceprint.Models;
using Faceprint.Preprocessing;
using Faceprint.Recognition;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>Flip averaging: a face and its mirror image embed to one vector, the normalised sum of the two plain embeddings.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class FlipAverageTests(DefaultModelsFixture models)
{
    private static FaceEmbedder Embedder(bool flip) =>
        new(ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.Embedder)), InputNormalization.Symmetric128) { FlipAverage = flip };

    [Fact]
    public async Task TheFlipAveragedEmbeddingIsTheNormalisedSumAndIgnoresMirroring()
    {
        var image = await models.Engine.LoadImageAsync(TestPaths.Fixture("face_recognition/obama.jpg"));
        var face = models.Engine.Align(image, models.Engine.EmbedSubject(image, "obama").Face);
        var plain = Embedder(flip: false).EmbedAligned([face, ImageOps.FlipHorizontal(face)]);
        var expected = plain[0].Zip(plain[1], (a, b) => a + b).ToArray();
        Embedding.Normalize(expected);

        var flipped = Embedder(flip: true);
        var both = flipped.EmbedAligned([face, ImageOps.FlipHorizontal(face)]);
        var single = new float[flipped.Dimension];
        flipped.EmbedAlignedInto(face, single);
        var fromLandmarks = flipped.Embed(image, [models.Engine.EmbedSubject(image, "obama").Face]);

        // Batches of different sizes may run the layers differently: equal to float rounding, not bit for bit.
        foreach (var (actual, what) in new[] { (both[0], "the face"), (both[1], "its mirror image"), (single, "one face alone") })
        {
            float cosine = Embedding.Cosine(expected, actual);
            Assert.True(cosine > 0.99999f, $"{what}: cosine {cosine:F7} to the normalised sum");
        }
        // Straight from the photo (float warp, no 8-bit rounding of the crop): the same face, closely.
        Assert.True(Embedding.Cosine(expected, fromLandmarks[0]) > 0.995f);
        Assert.True(Embedding.Cosine(plain[0], plain[1]) < 0.999f, "a mirror image that embeds identically would not test the sum");
    }
}
