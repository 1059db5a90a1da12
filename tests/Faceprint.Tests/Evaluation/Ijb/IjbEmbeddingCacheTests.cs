using Faceprint.Evaluation.Ijb;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Evaluation.Ijb;

public sealed class IjbEmbeddingCacheTests
{
    private const string Key = "model-3/sha256:abc|ijbc|v1";

    [Fact]
    public void RecordsComeBackInOrderAfterReopening()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "sub", "c.emb");
        using (var cache = IjbEmbeddingCache.Open(path, Key, 3, (_, _) => Assert.Fail("a new cache has no records")))
        {
            cache.Append("1.jpg", [1, 2, 3, 4, 5, 6]);
            cache.Append("frame_ü.jpg", [-1, 0.5f, float.Epsilon, 7, 8, 9]);
            cache.Flush();
            cache.Append("3.jpg", [3, 3, 3, 3, 3, 3]); // written when disposed
        }

        var read = ReadAll(path, 3, out var reopened);

        Assert.Equal(["1.jpg", "frame_ü.jpg", "3.jpg"], read.Select(r => r.Name));
        Assert.Equal([-1, 0.5f, float.Epsilon, 7, 8, 9], read[1].Raw);
        Assert.Equal(3, reopened.LoadedCount);
        Assert.Equal(0, reopened.DroppedBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(29)]
    public void TornLastRecordIsIgnoredAndOverwritten(int cut)
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "c.emb");
        using (var cache = IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { }))
        {
            cache.Append("1.jpg", [1, 2, 3, 4, 5, 6]);
            cache.Append("2.jpg", [2, 2, 2, 2, 2, 2]);
        }
        long full = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Open)) file.SetLength(full - cut); // a crash in the middle of the last write

        using (var cache = IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { }))
        {
            Assert.Equal(1, cache.LoadedCount);
            Assert.Equal(2 + 5 + 24 + 4 - cut, cache.DroppedBytes);
            cache.Append("2.jpg", [9, 9, 9, 9, 9, 9]);
        }

        var read = ReadAll(path, 3, out _);
        Assert.Equal(["1.jpg", "2.jpg"], read.Select(r => r.Name));
        Assert.Equal([9, 9, 9, 9, 9, 9], read[1].Raw);
        Assert.Equal(full, new FileInfo(path).Length);
    }

    [Fact]
    public void CorruptRecordEndsTheReadablePart()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "c.emb");
        using (var cache = IjbEmbeddingCache.Open(path, Key, 2, (_, _) => { }))
        {
            cache.Append("a", [1, 2, 3, 4]);
            cache.Append("b", [5, 6, 7, 8]);
        }
        var bytes = File.ReadAllBytes(path);
        bytes[^8] ^= 0x40; // a bit of b's last float flipped
        File.WriteAllBytes(path, bytes);

        var read = ReadAll(path, 2, out var reopened);

        Assert.Equal(["a"], read.Select(r => r.Name));
        Assert.True(reopened.DroppedBytes > 0);
    }

    [Fact]
    public void CacheOfAnotherModelOrSizeIsRefused()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "c.emb");
        IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { }).Dispose();

        var other = Assert.Throws<FaceprintException>(() => IjbEmbeddingCache.Open(path, "other|ijbc|v1", 3, (_, _) => { }));
        var size = Assert.Throws<FaceprintException>(() => IjbEmbeddingCache.Open(path, Key, 4, (_, _) => { }));

        Assert.Contains("another model", other.Message);
        Assert.Contains("another model", size.Message);
        File.WriteAllText(path, "not a cache at all");
        Assert.Contains("not a Faceprint IJB embedding cache", Assert.Throws<FaceprintException>(() => IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { })).Message);
    }

    [Fact]
    public void CacheInUseIsRefused()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "c.emb");
        using var first = IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { });

        var e = Assert.Throws<FaceprintException>(() => IjbEmbeddingCache.Open(path, Key, 3, (_, _) => { }));

        Assert.Contains("in use", e.Message);
    }

    private static List<(string Name, float[] Raw)> ReadAll(string path, int dimension, out IjbEmbeddingCache cache)
    {
        var read = new List<(string, float[])>();
        cache = IjbEmbeddingCache.Open(path, Key, dimension, (name, raw) => read.Add((name, raw.ToArray())));
        cache.Dispose();
        return read;
    }
}
