using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

public sealed class FaceGalleryTests
{
    [Fact]
    public async Task Identify_marks_candidates_at_or_above_threshold()
    {
        using var store = new InMemoryGalleryStore("m", 2);
        await store.AddAsync("alice", [[1, 0]]);
        await store.AddAsync("bob", [[1, 1]]);
        await store.AddAsync("carol", [[0, 1]]);
        var gallery = new FaceGallery(store);

        var candidates = await gallery.IdentifyAsync([1, 0], 3, 0.7f);

        Assert.Equal(["alice", "bob", "carol"], candidates.Select(c => c.PersonId));
        Assert.Equal([true, true, false], candidates.Select(c => c.IsMatch));
        Assert.Equal(MathF.Sqrt(0.5f), candidates[1].Similarity, 5);
        await Assert.ThrowsAsync<GalleryException>(() => gallery.IdentifyAsync([1, 0], 3, float.NaN));
    }

    [Fact]
    public async Task Verify_uses_best_template_of_the_claimed_person()
    {
        using var store = new InMemoryGalleryStore("m", 2);
        var ids = await store.AddAsync("alice", [[0, 1], [1, 0.1f]]);
        await store.AddAsync("bob", [[1, 0]]);
        var gallery = new FaceGallery(store);

        var result = await gallery.VerifyAsync("alice", [1, 0], 0.9f);
        Assert.Equal(ids[1], result.TemplateId);
        Assert.True(result.IsMatch);
        Assert.Equal(1 / MathF.Sqrt(1.01f), result.Similarity, 5);

        var rejected = await gallery.VerifyAsync("alice", [-1, 0], 0.5f);
        Assert.False(rejected.IsMatch);
    }

    [Fact]
    public async Task Verify_unknown_person_is_a_clear_error()
    {
        using var store = new InMemoryGalleryStore("m", 2);
        var gallery = new FaceGallery(store);
        var e = await Assert.ThrowsAsync<UnknownPersonException>(() => gallery.VerifyAsync("zed", [1, 0], 0.5f));
        Assert.Equal("person 'zed' is not enrolled in the gallery", e.Message);
    }
}
