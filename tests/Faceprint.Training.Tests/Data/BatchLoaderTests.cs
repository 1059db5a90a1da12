using Faceprint.Imaging;
using Faceprint.Training.Data;

namespace Faceprint.Training.Tests.Data;

public sealed class BatchLoaderTests
{
    private static readonly InMemoryDataset Glyphs = GlyphFaces.Dataset(seed: 2, first: 0, count: 10, views: 5, size: 16);

    [Fact]
    public void SameSeedGivesTheSameBatchesWhateverTheWorkerCount()
    {
        var one = new BatchLoader(Glyphs, new BatchLoaderOptions { BatchSize = 8, ImageSize = 16, Seed = 4, Workers = 1, Prefetch = 1 });
        var four = new BatchLoader(Glyphs, new BatchLoaderOptions { BatchSize = 8, ImageSize = 16, Seed = 4, Workers = 4, Prefetch = 6 });
        var a = one.Epoch(3).ToList();
        var b = four.Epoch(3).ToList();
        Assert.Equal(6, a.Count); // 50 images, batches of 8, last incomplete one dropped
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(i, b[i].Index);
            Assert.Equal(a[i].Labels, b[i].Labels);
            Assert.Equal(a[i].Pixels, b[i].Pixels);
        }
    }

    [Fact]
    public void EpochsAreDifferentPermutationsAndResumeMidEpochContinuesTheSameOrder()
    {
        var loader = new BatchLoader(Glyphs, new BatchLoaderOptions { BatchSize = 5, ImageSize = 16, Seed = 9 });
        var e0 = loader.Order(0);
        var e1 = loader.Order(1);
        Assert.Equal(Enumerable.Range(0, 50), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(e0, new BatchLoader(Glyphs, new BatchLoaderOptions { BatchSize = 5, ImageSize = 16, Seed = 10 }).Order(0));

        var full = loader.Epoch(1).ToList();
        var resumed = loader.Epoch(1, firstBatch: 4).ToList();
        Assert.Equal(full.Skip(4).Select(b => b.Pixels), resumed.Select(b => b.Pixels));
    }

    [Fact]
    public void ImagesAreNormalisedResizedAndSometimesMirrored()
    {
        // One image: left half black, right half white, 32×32 so the loader must resize it to 16.
        var pixels = new byte[32 * 32 * 3];
        for (int y = 0; y < 32; y++)
            for (int x = 16; x < 32; x++)
                pixels.AsSpan((y * 32 + x) * 3, 3).Fill(255);
        var image = new RgbImage(32, 32, pixels);
        var data = new InMemoryDataset([.. Enumerable.Repeat(new FaceSample(image, 0), 64)], 2);
        var batch = new BatchLoader(data, new BatchLoaderOptions { BatchSize = 64, ImageSize = 16 }).Epoch(0).Single();

        int plane = 16 * 16, flipped = 0;
        for (int i = 0; i < 64; i++)
        {
            float left = batch.Pixels[i * 3 * plane + 8 * 16 + 0], right = batch.Pixels[i * 3 * plane + 8 * 16 + 15];
            Assert.Equal(-127.5f / 128, Math.Min(left, right), 1e-6f);
            Assert.Equal(127.5f / 128, Math.Max(left, right), 1e-6f);
            if (left > right) flipped++;
        }
        Assert.InRange(flipped, 16, 48);
    }
}
