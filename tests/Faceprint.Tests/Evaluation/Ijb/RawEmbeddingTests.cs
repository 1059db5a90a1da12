using Faceprint.Alignment;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Evaluation.Ijb;

/// <summary>The engine's batched raw-output path that the IJB run uses.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class RawEmbeddingTests(DefaultModelsFixture models)
{
    [Fact]
    public async Task BatchedRawOutputsMatchSinglesAndNormaliseToTheEmbedding()
    {
        var engine = models.Engine;
        int d = engine.EmbeddingSize;
        var faces = new List<RgbImage>();
        foreach (string fixture in new[] { "deepface/img1.jpg", "deepface/img16.jpg", "deepface/img20.jpg" })
        {
            var photo = await engine.LoadImageAsync(TestPaths.Fixture(fixture));
            var crop = FaceAligner.Align(photo, FaceEngine.MostProminent(engine.Detect(photo), photo));
            faces.Add(crop);
            faces.Add(ImageOps.FlipHorizontal(crop));
        }

        var batch = new float[faces.Count * d];
        engine.EmbedAlignedRaw(faces, batch);

        for (int f = 0; f < faces.Count; f++)
        {
            var single = new float[d];
            engine.EmbedAlignedRaw([faces[f]], single);
            var row = batch.AsSpan(f * d, d).ToArray();
            for (int i = 0; i < d; i++) Assert.Equal(single[i], row[i], 1e-4 * Math.Max(1, Math.Abs(single[i])));

            double norm = Math.Sqrt(row.Sum(x => (double)x * x));
            Assert.True(Math.Abs(norm - 1) > 1e-3, "raw outputs are not normalised");
            var embedding = new float[d];
            engine.EmbedAligned(faces[f], embedding);
            for (int i = 0; i < d; i++) Assert.Equal(embedding[i], row[i] / norm, 1e-5);
        }
        Assert.Throws<ArgumentException>(() => engine.EmbedAlignedRaw(faces, new float[d]));
    }
}
