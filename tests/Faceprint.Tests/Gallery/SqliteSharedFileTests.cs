using System.Diagnostics;
using Faceprint.Gallery;
using Microsoft.Data.Sqlite;

namespace Faceprint.Tests.Gallery;

/// <summary>
/// One SQLite gallery file used by several connections at once, as when <c>faceprint gallery enroll</c> runs beside
/// <c>faceprint serve</c>: every store sees the others' writes, opening never waits behind a writer, a busy file
/// fails after the store's own timeout with a message saying why, and version 1 files are migrated.
/// </summary>
public sealed class SqliteSharedFileTests : IDisposable
{
    private const string Model = "test-model@1";
    private readonly TempGalleryDirectory _dir = new();

    [Fact]
    public async Task A_running_store_sees_enrolments_and_removals_made_through_another_connection()
    {
        var path = _dir.File("shared.db");
        await using var server = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        await server.AddAsync("person03", [[1, 0]]);
        Assert.Equal("person03", (await server.SearchAsync([1, 0], 1))[0].PersonId);

        await using (var cli = await SqliteGalleryStore.OpenAsync(path, Model, 2))
        {
            await cli.AddAsync("p", [[0, 1], [0.1f, 1]]);
            Assert.Equal(1, await cli.RemovePersonAsync("person03"));
        }

        // The removal must never keep matching, and the new person is there with the ids the other writer got.
        var matches = await server.SearchAsync([1, 0], 5);
        Assert.DoesNotContain(matches, m => m.PersonId == "person03");
        Assert.Equal([new GalleryPerson("p", 2)], await server.ListPeopleAsync());
        Assert.Equal(2, (await server.GetTemplatesAsync("p")).Count);
        Assert.Equal(0, await server.RemovePersonAsync("person03"));
    }

    [Fact]
    public async Task Writes_of_both_connections_interleave_without_losing_or_doubling_a_template()
    {
        var path = _dir.File("shared.db");
        await using var a = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        await using var b = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.AddRange(await a.AddAsync($"a{i}", [[1, i]]));
            ids.AddRange(await b.AddAsync($"b{i}", [[i, 1]]));
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var store in new[] { a, b })
        {
            var people = await store.ListPeopleAsync();
            Assert.Equal(20, people.Count);
            Assert.All(people, p => Assert.Equal(1, p.TemplateCount));
        }
    }

    [Fact]
    public async Task Opening_and_reading_do_not_wait_for_a_writer_holding_the_file()
    {
        var path = _dir.File("busy.db");
        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 2))
            await store.AddAsync("alice", [[1, 0]]);

        await using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        writer.Open();
        using var hold = writer.BeginTransaction(deferred: false);
        using (var insert = writer.CreateCommand())
        {
            insert.Transaction = hold;
            insert.CommandText = "INSERT INTO meta (key, value) VALUES ('held', 'yes');";
            insert.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        await using var reader = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        Assert.Equal("alice", Assert.Single(await reader.ListPeopleAsync()).PersonId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"a read-only open took {clock.Elapsed.TotalSeconds:F1} s behind a writer");
    }

    [Fact]
    public async Task A_write_behind_another_writer_fails_after_the_stores_timeout_saying_what_holds_the_lock()
    {
        var path = _dir.File("busy.db");
        await using var store = await SqliteGalleryStore.OpenAsync(path, Model, 2);
        await using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        writer.Open();
        using var hold = writer.BeginTransaction(deferred: false);
        using (var insert = writer.CreateCommand())
        {
            insert.Transaction = hold;
            insert.CommandText = "INSERT INTO meta (key, value) VALUES ('held', 'yes');";
            insert.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GalleryLockedException>(() => store.AddAsync("bob", [[0, 1]]));

        Assert.InRange(clock.Elapsed, SqliteGalleryStore.LockTimeout * 0.9, SqliteGalleryStore.LockTimeout * 2.5);
        Assert.Contains("another connection holds its write lock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_keeping_its_ids_and_never_reuses_them_afterwards()
    {
        var path = _dir.File("v1.db");
        await using (var v1 = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            v1.Open();
            using var create = v1.CreateCommand();
            var blob = Convert.ToHexString(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0 }); // [1, 0] as little-endian fp32
            create.CommandText = $"""
                PRAGMA journal_mode = WAL;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE templates (id INTEGER PRIMARY KEY, person TEXT NOT NULL, embedding BLOB NOT NULL, source TEXT, created TEXT);
                CREATE INDEX ix_templates_person ON templates (person);
                INSERT INTO meta VALUES ('model_id', '{Model}'), ('dimension', '2'), ('schema_version', '1');
                INSERT INTO templates VALUES (1, 'alice', X'{blob}', 'a.jpg', '2026-01-01T00:00:00.0000000+00:00'), (7, 'bob', X'{blob}', NULL, NULL);
                """;
            create.ExecuteNonQuery();
        }

        await using (var store = await SqliteGalleryStore.OpenAsync(path, Model, 2))
        {
            Assert.Equal([1L], (await store.GetTemplatesAsync("alice")).Select(t => t.TemplateId));
            Assert.Equal("a.jpg", (await store.GetTemplatesAsync("alice"))[0].Source);
            Assert.Equal(1, await store.RemovePersonAsync("bob"));
            Assert.True((await store.AddAsync("carol", [[0, 1]]))[0] > 7);
        }

        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        check.Open();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT value FROM meta WHERE key = 'schema_version';";
        Assert.Equal(SqliteGalleryStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)query.ExecuteScalar());
        query.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)query.ExecuteScalar());
    }

    public void Dispose() => _dir.Dispose();
}
