using CsCheck;
using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

public sealed class InMemoryGalleryStoreTests
{
    private const string Model = "test-model@1";

    // Small integer components make equal scores (ties) common, which is where ordering bugs hide.
    private static Gen<float[]> Vector(int dimension) =>
        Gen.Int[-2, 2].Array[dimension].Where(a => a.Any(x => x != 0)).Select(a => Array.ConvertAll(a, x => (float)x));

    private static readonly Gen<(int Dimension, float[][] Pool, (int Person, int Vector)[] Items, float[] Query, int K)> Case =
        from dimension in Gen.Int[0, 2].Select(i => new[] { 3, 8, 19 }[i])
        from pool in Vector(dimension).Array[1, 6]
        from items in Gen.Select(Gen.Int[0, 5], Gen.Int[0, pool.Length - 1]).Array[0, 30]
        from query in Vector(dimension)
        from k in Gen.Int[1, 8]
        select (dimension, pool, items, query, k);

    [Fact]
    public void Search_equals_naive_best_per_person_reference()
    {
        Case.Sample(c =>
        {
            using var store = new InMemoryGalleryStore(Model, c.Dimension);
            foreach (var (person, vector) in c.Items)
                store.AddAsync($"p{person}", [c.Pool[vector]]).GetAwaiter().GetResult();

            var actual = store.SearchAsync(c.Query, c.K).GetAwaiter().GetResult();
            var expected = GalleryReference.SearchAsync(store, c.Query, c.K).GetAwaiter().GetResult();
            Assert.Equal(expected, actual);
            Assert.Equal(actual.Count, actual.Select(m => m.PersonId).Distinct().Count());
        }, iter: 300);
    }

    [Fact]
    public async Task Large_gallery_parallel_search_equals_reference()
    {
        var rng = new Random(7);
        using var store = new InMemoryGalleryStore(Model, 16);
        for (var p = 0; p < 1_000; p++)
        {
            var batch = Enumerable.Range(0, 55).Select(_ => GalleryReference.Random(rng, 16)).ToArray();
            await store.AddAsync($"person-{p:D4}", batch);
        }

        Assert.True(store.Count > InMemoryGalleryStore.ParallelThreshold);
        for (var q = 0; q < 3; q++)
        {
            var query = GalleryReference.Random(rng, 16);
            Assert.Equal(await GalleryReference.SearchAsync(store, query, 10), await store.SearchAsync(query, 10));
        }
    }

    [Fact]
    public async Task Large_gallery_gives_the_same_results_on_one_thread_and_on_several()
    {
        var rng = new Random(9);
        using var store = new InMemoryGalleryStore(Model, 24);
        for (var p = 0; p < 20_000; p++)
            await store.AddAsync($"person-{p:D5}", [GalleryReference.Random(rng, 24), GalleryReference.Random(rng, 24), GalleryReference.Random(rng, 24)]);
        Assert.True(store.Count > InMemoryGalleryStore.ParallelThreshold);

        for (var q = 0; q < 5; q++)
        {
            var query = GalleryReference.Random(rng, 24);
            store.SearchThreads = 1;
            var single = await store.SearchAsync(query, 20);
            store.SearchThreads = 3;
            Assert.Equal(single, await store.SearchAsync(query, 20));
            Assert.Equal(await GalleryReference.SearchAsync(store, query, 20), single);
        }
    }

    [Fact]
    public async Task Large_gallery_ranks_near_ties_finer_than_its_8_bit_first_pass()
    {
        // 2,000 people with templates at cosine about 0.95 to the probe, packed closer together than the
        // 8-bit first pass resolves: only the exact second pass gets the top 25 and their order right.
        var rng = new Random(4);
        var probe = GalleryReference.Random(rng, 32);
        using var store = new InMemoryGalleryStore(Model, 32);
        float[] Near() => probe.Zip(GalleryReference.Random(rng, 32), (x, noise) => x + 0.3f * noise).ToArray();
        for (var p = 0; p < 2_000; p++)
            await store.AddAsync($"near-{p:D4}", [Near(), Near()]);
        for (var p = 0; p < 25_000; p++)
            await store.AddAsync($"far-{p:D5}", [GalleryReference.Random(rng, 32), GalleryReference.Random(rng, 32)]);
        Assert.True(store.Count > InMemoryGalleryStore.ParallelThreshold);

        var matches = await store.SearchAsync(probe, 25);

        Assert.Equal(await GalleryReference.SearchAsync(store, probe, 25), matches);
        Assert.All(matches, m => Assert.StartsWith("near-", m.PersonId));
    }

    [Fact]
    public void Search_threads_must_be_positive()
    {
        using var store = new InMemoryGalleryStore(Model, 4);
        Assert.Throws<GalleryException>(() => store.SearchThreads = 0);
    }

    [Fact]
    public async Task Person_with_several_templates_appears_once_with_best_score()
    {
        using var store = new InMemoryGalleryStore(Model, 2);
        var ids = await store.AddAsync("alice", [[1, 0], [0, 1], [1, 1]]);
        await store.AddAsync("bob", [[-1, 0]]);

        var matches = await store.SearchAsync([1, 0], 5);

        Assert.Equal(["alice", "bob"], matches.Select(m => m.PersonId));
        Assert.Equal(ids[0], matches[0].TemplateId);
        Assert.Equal(1f, matches[0].Similarity, 5);
        Assert.Equal(-1f, matches[1].Similarity, 5);
    }

    [Fact]
    public async Task Embeddings_are_L2_normalised_on_add()
    {
        using var store = new InMemoryGalleryStore(Model, 3);
        await store.AddAsync("alice", [[3, 0, 4]], "a.jpg");

        var template = Assert.Single(await store.GetTemplatesAsync("alice"));
        Assert.Equal([0.6f, 0f, 0.8f], template.Embedding);
        Assert.Equal("a.jpg", template.Source);
        var match = Assert.Single(await store.SearchAsync([30, 0, 40], 1));
        Assert.Equal(1f, match.Similarity, 5);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "infinity")]
    [InlineData(float.NegativeInfinity, "infinity")]
    public async Task Non_finite_embedding_is_rejected(float bad, string word)
    {
        using var store = new InMemoryGalleryStore(Model, 3);
        var e = await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, bad, 0]]));
        Assert.Contains(word, e.Message);
        Assert.IsAssignableFrom<FaceprintException>(e);
        await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync([1, bad, 0], 1));
    }

    [Fact]
    public async Task Wrong_dimension_and_zero_vector_are_rejected()
    {
        using var store = new InMemoryGalleryStore(Model, 3);
        var e = await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 2]]));
        Assert.Contains("3-d", e.Message);
        await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[0, 0, 0]]));
        await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync([1, 2, 3, 4], 1));
        await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync([1, 2, 3], 0));
    }

    [Fact]
    public async Task Batch_with_a_NaN_adds_nothing()
    {
        using var store = new InMemoryGalleryStore(Model, 2);
        await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 0], [0, 1], [float.NaN, 1]]));
        Assert.Empty(await store.ListPeopleAsync());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Remove_person_and_list_people()
    {
        using var store = new InMemoryGalleryStore(Model, 2);
        await store.AddAsync("carol", [[1, 0], [1, 1]]);
        await store.AddAsync("alice", [[0, 1]]);
        await store.AddAsync("bob", [[-1, 0], [-1, 1], [0, -1]]);

        Assert.Equal([new GalleryPerson("alice", 1), new GalleryPerson("bob", 3), new GalleryPerson("carol", 2)], await store.ListPeopleAsync());
        Assert.Equal(3, await store.RemovePersonAsync("bob"));
        Assert.Equal(0, await store.RemovePersonAsync("bob"));
        Assert.Equal([new GalleryPerson("alice", 1), new GalleryPerson("carol", 2)], await store.ListPeopleAsync());
        Assert.Empty(await store.GetTemplatesAsync("bob"));

        var matches = await store.SearchAsync([-1, 0], 5);
        Assert.Equal(["alice", "carol"], matches.Select(m => m.PersonId).Order(StringComparer.Ordinal));
        Assert.Equal(await GalleryReference.SearchAsync(store, [-1, 0], 5), matches);
    }

    [Fact]
    public async Task Concurrent_adds_and_searches_lose_nothing()
    {
        using var store = new InMemoryGalleryStore(Model, 32);
        await GalleryConcurrency.RunAsync(store);
    }
}
