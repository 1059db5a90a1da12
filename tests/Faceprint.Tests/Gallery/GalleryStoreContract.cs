using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

/// <summary>
/// What every <see cref="IGalleryStore"/> must do, run once per store. Each test gets a store at a fresh location
/// from <see cref="CreateAsync"/>.
/// </summary>
public abstract class GalleryStoreContract
{
    protected const string Model = "test-model@1";

    /// <summary>Creates an empty store at this test's location.</summary>
    protected abstract Task<IGalleryStore> CreateAsync(string modelId, int dimension);

    [Fact]
    public async Task Search_equals_the_naive_reference()
    {
        var rng = new Random(11);
        await using var store = await CreateAsync(Model, 16);
        for (var p = 0; p < 40; p++)
            await store.AddAsync($"person-{p:D2}", Enumerable.Range(0, 1 + p % 3).Select(_ => GalleryReference.Random(rng, 16)).ToArray());

        for (var q = 0; q < 10; q++)
        {
            var query = GalleryReference.Random(rng, 16);
            var matches = await store.SearchAsync(query, 7);
            Assert.Equal(await GalleryReference.SearchAsync(store, query, 7), matches);
            Assert.Equal(7, matches.Select(m => m.PersonId).Distinct().Count());
        }
    }

    [Fact]
    public async Task Ties_go_to_the_smaller_person_id_then_the_smaller_template_id()
    {
        await using var store = await CreateAsync(Model, 2);
        var bob = await store.AddAsync("bob", [[1, 0], [2, 0]]);
        var alice = await store.AddAsync("alice", [[3, 0]]);
        await store.AddAsync("carol", [[0, 1]]);

        var matches = await store.SearchAsync([1, 0], 2);

        Assert.Equal([new GalleryMatch("alice", alice[0], 1f), new GalleryMatch("bob", bob[0], 1f)], matches);
    }

    [Fact]
    public async Task Person_with_several_templates_appears_once_with_the_best_one()
    {
        await using var store = await CreateAsync(Model, 2);
        var ids = await store.AddAsync("alice", [[0, 1], [1, 0], [1, 1]]);
        await store.AddAsync("bob", [[-1, 0]]);

        var matches = await store.SearchAsync([1, 0], 5);

        Assert.Equal(["alice", "bob"], matches.Select(m => m.PersonId));
        Assert.Equal(ids[1], matches[0].TemplateId);
        Assert.Equal(1f, matches[0].Similarity, 5);
        Assert.Equal(-1f, matches[1].Similarity, 5);
    }

    [Fact]
    public async Task Templates_are_normalised_and_keep_source_and_time()
    {
        await using var store = await CreateAsync(Model, 3);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = await store.AddAsync("alice", [[3, 0, 4], [0, 2, 0]], "a.jpg");

        var templates = await store.GetTemplatesAsync("alice");
        Assert.Equal(ids, templates.Select(t => t.TemplateId));
        Assert.Equal([0.6f, 0f, 0.8f], templates[0].Embedding);
        Assert.Equal([0f, 1f, 0f], templates[1].Embedding);
        Assert.All(templates, t => Assert.Equal("a.jpg", t.Source));
        Assert.All(templates, t => Assert.InRange(t.Created, before, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Empty(await store.GetTemplatesAsync("nobody"));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_gallery_error()
    {
        await using var store = await CreateAsync(Model, 3);
        Assert.Contains("3-d", (await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 2]]))).Message);
        Assert.Contains("NaN", (await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, float.NaN, 0]]))).Message);
        Assert.Contains("infinity", (await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, float.PositiveInfinity, 0]]))).Message);
        Assert.Contains("zero norm", (await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[0, 0, 0]]))).Message);
        await Assert.ThrowsAsync<InvalidPersonIdException>(() => store.AddAsync(" ", [[1, 0, 0]]));
        await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", []));
        await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync([1, 2, 3, 4], 1));
        await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync([1, 2, 3], 0));
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\u00A0")]
    [InlineData("\u3000")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a\tb")]
    [InlineData("a\u200Bb")]
    [InlineData("a\u2028b")]
    public async Task Person_ids_that_break_the_rule_are_refused_and_name_nobody(string personId)
    {
        await using var store = await CreateAsync(Model, 2);
        var error = await Assert.ThrowsAsync<InvalidPersonIdException>(() => store.AddAsync(personId, [[1, 0]]));
        Assert.Contains(PersonIds.Rule, error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetTemplatesAsync(personId));
        Assert.Equal(0, await store.RemovePersonAsync(personId));
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task Person_ids_are_compared_code_point_by_code_point_without_normalisation()
    {
        await using var store = await CreateAsync(Model, 2);
        var decomposed = "Zoe\u0301 Ma";
        var composed = "Zo\u00E9 Ma";
        await store.AddAsync(decomposed, [[1, 0]]);
        await store.AddAsync(composed, [[0, 1]]);

        Assert.Equal([new GalleryPerson(decomposed, 1), new GalleryPerson(composed, 1)], await store.ListPeopleAsync());
        Assert.Equal(1, await store.RemovePersonAsync(decomposed));
        Assert.Equal([new GalleryPerson(composed, 1)], await store.ListPeopleAsync());
    }

    [Fact]
    public async Task A_lone_surrogate_is_not_a_person_id()
    {
        await using var store = await CreateAsync(Model, 2);
        var error = await Assert.ThrowsAsync<InvalidPersonIdException>(() => store.AddAsync("a\uD800b", [[1, 0]]));
        Assert.Contains("lone surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Longest_person_id_counts_characters_not_UTF16_units()
    {
        await using var store = await CreateAsync(Model, 2);
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", PersonIds.MaxLength));
        await store.AddAsync(emoji, [[1, 0]]);
        await Assert.ThrowsAsync<InvalidPersonIdException>(() => store.AddAsync(emoji + "x", [[1, 0]]));
        Assert.Single(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task Template_ids_are_never_reused_even_the_last_one_after_its_deletion()
    {
        await using var store = await CreateAsync(Model, 2);
        var alice = await store.AddAsync("alice", [[1, 0]]);
        var bob = await store.AddAsync("bob", [[0, 1]]);
        await store.RemovePersonAsync("bob");
        var carol = await store.AddAsync("carol", [[1, 1]]);

        Assert.True(carol[0] > bob[0], $"carol got id {carol[0]} after bob's {bob[0]} was deleted (alice {alice[0]})");
    }

    [Fact]
    public async Task Batch_with_one_bad_embedding_adds_nothing()
    {
        await using var store = await CreateAsync(Model, 2);
        await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 0], [0, 1], [float.NaN, 1]]));
        Assert.Empty(await store.ListPeopleAsync());
        Assert.Empty(await store.SearchAsync([1, 0], 3));
    }

    [Fact]
    public async Task Cancelled_calls_add_and_return_nothing()
    {
        await using var store = await CreateAsync(Model, 2);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AddAsync("alice", [[1, 0]], null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SearchAsync([1, 0], 1, cancelled.Token));
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task Remove_person_and_list_people_in_ordinal_order()
    {
        await using var store = await CreateAsync(Model, 2);
        await store.AddAsync("carol", [[1, 0], [1, 1]]);
        await store.AddAsync("Alice", [[0, 1]]);
        await store.AddAsync("bob", [[-1, 0], [-1, 1], [0, -1]]);

        Assert.Equal([new GalleryPerson("Alice", 1), new GalleryPerson("bob", 3), new GalleryPerson("carol", 2)], await store.ListPeopleAsync());
        Assert.Equal(3, await store.RemovePersonAsync("bob"));
        Assert.Equal(0, await store.RemovePersonAsync("bob"));
        Assert.Equal([new GalleryPerson("Alice", 1), new GalleryPerson("carol", 2)], await store.ListPeopleAsync());
        Assert.Empty(await store.GetTemplatesAsync("bob"));
        Assert.Equal(["Alice", "carol"], (await store.SearchAsync([-1, 0], 5)).Select(m => m.PersonId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_enrolments_are_all_acknowledged_and_kept()
    {
        await using var store = await CreateAsync(Model, 32);
        await GalleryConcurrency.RunAsync(store);
    }

    [Fact]
    public async Task Verification_through_FaceGallery_uses_the_best_template()
    {
        await using var store = await CreateAsync(Model, 2);
        var ids = await store.AddAsync("alice", [[0, 1], [1, 0.1f]]);
        var gallery = new FaceGallery(store);

        var result = await gallery.VerifyAsync("alice", [1, 0], 0.9f);

        Assert.Equal(ids[1], result.TemplateId);
        Assert.True(result.IsMatch);
        await Assert.ThrowsAsync<UnknownPersonException>(() => gallery.VerifyAsync("bob", [1, 0], 0.5f));
    }
}

/// <summary>What a store that outlives its process must do besides <see cref="GalleryStoreContract"/>.</summary>
public abstract class PersistentGalleryStoreContract : GalleryStoreContract
{
    [Fact]
    public async Task Reopening_gives_the_same_templates_and_results()
    {
        var rng = new Random(5);
        var query = GalleryReference.Random(rng, 8);
        IReadOnlyList<GalleryMatch> before;
        IReadOnlyList<GalleryTemplate> alice;
        await using (var store = await CreateAsync(Model, 8))
        {
            for (var p = 0; p < 10; p++)
                await store.AddAsync($"p{p}", [GalleryReference.Random(rng, 8), GalleryReference.Random(rng, 8)], $"img-{p}.jpg");
            before = await store.SearchAsync(query, 4);
            alice = await store.GetTemplatesAsync("p3");
        }

        await using var reopened = await CreateAsync(Model, 8);
        Assert.Equal(10, (await reopened.ListPeopleAsync()).Count);
        Assert.Equal(before, await reopened.SearchAsync(query, 4));
        var after = await reopened.GetTemplatesAsync("p3");
        Assert.Equal(alice.Select(t => (t.TemplateId, t.Source, t.Created)), after.Select(t => (t.TemplateId, t.Source, t.Created)));
        Assert.Equal(alice[1].Embedding, after[1].Embedding);
        var newIds = await reopened.AddAsync("p3", [GalleryReference.Random(rng, 8)]);
        Assert.True(newIds[0] > after.Max(t => t.TemplateId));
    }

    [Fact]
    public async Task Template_ids_are_never_reused_across_reopening()
    {
        long bob;
        await using (var store = await CreateAsync(Model, 2))
        {
            await store.AddAsync("alice", [[1, 0]]);
            bob = (await store.AddAsync("bob", [[0, 1]]))[0];
            await store.RemovePersonAsync("bob");
        }

        await using var reopened = await CreateAsync(Model, 2);
        Assert.True((await reopened.AddAsync("carol", [[1, 1]]))[0] > bob);
    }

    [Fact]
    public async Task Another_model_or_dimension_is_refused()
    {
        await using (var store = await CreateAsync(Model, 8))
            await store.AddAsync("alice", [GalleryReference.Random(new Random(1), 8)]);

        var model = await Assert.ThrowsAsync<GalleryModelMismatchException>(() => CreateAsync("other-model@2", 8));
        Assert.Equal((Model, 8, "other-model@2", 8), (model.StoredModelId, model.StoredDimension, model.RequestedModelId, model.RequestedDimension));
        var dimension = await Assert.ThrowsAsync<GalleryModelMismatchException>(() => CreateAsync(Model, 16));
        Assert.Equal(8, dimension.StoredDimension);
        Assert.Contains(Model, dimension.Message);
    }
}
