using Faceprint.Evaluation.Ijb;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Evaluation.Ijb;

/// <summary>The streamed, batched, cached IJB run against the plain reference computation on a tree of real photos.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class IjbEvaluationTests(DefaultModelsFixture models)
{
    [Theory]
    [InlineData(true, true, true)]    // the reference evaluation's test mode
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    public async Task ScoresAndTarMatchThePlainReference(bool flip, bool normScore, bool detectorScore)
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(temp.Path, models.Engine);
        var protocol = await IjbMetaReader.LoadAsync(tree.Layout);
        var options = new IjbFeatureOptions { Flip = flip, NormScore = normScore, DetectorScore = detectorScore };

        using var run = IjbEvaluation.Open(tree.Layout, protocol, options, models.Engine.EmbedderId, models.Engine.EmbeddingSize, cachePath: null);
        int advanced = 0;
        // Batches of 3 on two workers: full and partial batches, finishing in any order.
        await run.EmbedPendingAsync(models.Engine, parallelism: 2, batchSize: 3, () => Interlocked.Increment(ref advanced));
        var result = run.Score();
        var expected = await IjbReference.ScoresAsync(models.Engine, tree, flip, normScore, detectorScore);

        Assert.Equal(tree.PairedImageCount, advanced); // the unpaired template's (missing) image was not touched
        Assert.Equal(tree.PairedImageCount, result.Images);
        Assert.Equal(12, result.Templates);
        Assert.Equal(tree.Pairs.Count, result.Pairs.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(tree.Pairs[i].Same, result.Pairs[i].Same);
            Assert.Equal(expected[i], result.Pairs[i].Score!.Value, 1e-4);
        }
        foreach (var (far, point) in result.TarAtFar)
            Assert.Equal(IjbReference.TarAtFar(expected, tree.Pairs, far), point.TruePositiveRate, 9);
        Assert.Equal(IjbEvaluation.ReportedFars, result.TarAtFar.Select(t => t.Far));
        // Real photos of six people: genuine templates should mostly outscore impostors.
        Assert.InRange(result.Roc.Auc, 0.9, 1.0);
    }

    [Fact]
    public async Task ResumesFromTheCacheAndRecomputesOnlyATornLastRecord()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(Path.Combine(temp.Path, "ijb"), models.Engine);
        var protocol = await IjbMetaReader.LoadAsync(tree.Layout);
        string cache = Path.Combine(temp.Path, "cache", "ijbc.emb");
        var options = new IjbFeatureOptions();
        var engine = models.Engine;

        IjbResult first;
        using (var run = IjbEvaluation.Open(tree.Layout, protocol, options, engine.EmbedderId, engine.EmbeddingSize, cache))
        {
            Assert.Equal(tree.PairedImageCount, run.PendingCount);
            await run.EmbedPendingAsync(engine, 2, 4, () => { });
            first = run.Score();
        }
        Assert.Equal(0, first.CachedImages);

        using (var run = IjbEvaluation.Open(tree.Layout, protocol, options, engine.EmbedderId, engine.EmbeddingSize, cache))
        {
            Assert.Equal(0, run.PendingCount);
            var again = run.Score(); // nothing embedded: everything from the cache
            Assert.Equal(tree.PairedImageCount, again.CachedImages);
            AssertSameScores(first, again);
        }

        using (var file = new FileStream(cache, FileMode.Open)) file.SetLength(file.Length - 7);
        using (var run = IjbEvaluation.Open(tree.Layout, protocol, options, engine.EmbedderId, engine.EmbeddingSize, cache))
        {
            Assert.Equal(1, run.PendingCount);
            Assert.True(run.Cache!.DroppedBytes > 0);
            int embedded = 0;
            await run.EmbedPendingAsync(engine, 2, 4, () => embedded++);
            Assert.Equal(1, embedded);
            AssertSameScores(first, run.Score());
        }

        // A cache of another model is refused rather than mixed in.
        Assert.Throws<FaceprintException>(() => IjbEvaluation.Open(tree.Layout, protocol, options, "other-model", engine.EmbeddingSize, cache));
    }

    [Fact]
    public async Task MissingImageOfAPairedTemplateIsAnImageError()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(temp.Path, models.Engine);
        var protocol = await IjbMetaReader.LoadAsync(tree.Layout);
        File.Delete(tree.Layout.ImagePath(tree.Images[^1].Name));

        using var run = IjbEvaluation.Open(tree.Layout, protocol, new IjbFeatureOptions(), models.Engine.EmbedderId, models.Engine.EmbeddingSize, null);
        var e = await Assert.ThrowsAsync<ImageLoadException>(() => run.EmbedPendingAsync(models.Engine, 1, 8, () => { }));

        Assert.Contains(tree.Images[^1].Name, e.Message);
        Assert.Throws<InvalidOperationException>(() => run.Score());
    }

    private static void AssertSameScores(IjbResult expected, IjbResult actual)
    {
        for (int i = 0; i < expected.Pairs.Count; i++)
            Assert.Equal(expected.Pairs[i].Score!.Value, actual.Pairs[i].Score!.Value, 1e-6);
    }
}
