using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Recognition;
using Faceprint.Server.Tests.Support;
using Faceprint.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Faceprint.Server.Tests.OutOfProcess;

/// <summary>
/// The real <c>faceprint serve</c> process is killed with SIGKILL while enrolments are in flight. Afterwards the
/// SQLite gallery must open, hold every enrolment that was acknowledged (201 received) with all its templates, and
/// hold no enrolment in part, and pass SQLite's integrity check. The crash test of the suite: trait Category=Crash.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", "Crash")]
public sealed class GalleryDurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const int Dimension = 192;
    private const int TemplatesPerEnrolment = 3;
    private const int Writers = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-durability-").FullName;
    private readonly string _key = "durability-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Killing_the_server_mid_enrolment_loses_no_acknowledged_enrolment_and_leaves_none_half_written()
    {
        string db = Path.Combine(_folder, "gallery.db");
        string config = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            api_keys = new[] { new { id = "durability", key = _key } },
            rate_limit = new { requests_per_second = 1_000_000, burst = 1_000_000 },
        }));
        var acknowledged = new ConcurrentDictionary<string, (long[] Ids, float[][] Embeddings)>();
        var attempted = new ConcurrentDictionary<string, float[][]>();

        // Two rounds: the second server recovers the first one's file, writes more, and is killed as well.
        for (int round = 0; round < 2; round++)
        {
            using var server = ServerProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--db", db, "--config", config, "--home", TestPaths.ModelHome, "--threads", "1"]);
            var address = await server.WaitUntilListeningAsync(StartTimeout);
            int target = acknowledged.Count + 40;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilFailureAsync(address, $"r{round}-w{w}", acknowledged, attempted, stop.Token))).ToArray();

            while (acknowledged.Count < target && writers.Any(t => !t.IsCompleted))
                await Task.Delay(5);
            await Task.Delay(Random.Shared.Next(0, 20));
            int inFlight = attempted.Count - acknowledged.Count;
            server.Kill();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            output.WriteLine($"round {round}: killed with {acknowledged.Count} acknowledged of {attempted.Count} attempted ({inFlight} unanswered just before the kill)");
            Assert.True(acknowledged.Count >= target, $"only {acknowledged.Count} enrolments acknowledged before the writers failed; stderr: {server.Stderr}");

            await AssertGalleryAsync(db, acknowledged, attempted);
        }

        // And a restarted server answers from the recovered file.
        using var restarted = ServerProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--db", db, "--config", config, "--home", TestPaths.ModelHome, "--threads", "1"]);
        using var client = new HttpClient { BaseAddress = await restarted.WaitUntilListeningAsync(StartTimeout) };
        client.DefaultRequestHeaders.Add("X-Api-Key", _key);
        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/gallery/persons");
        var people = listed.GetProperty("persons").EnumerateArray().Select(p => p.GetProperty("person_id").GetString()!).ToHashSet();
        Assert.Superset(acknowledged.Keys.ToHashSet(), people);
        Assert.DoesNotContain(_key, string.Join('\n', restarted.StdoutLines) + restarted.Stderr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task AssertGalleryAsync(string db, ConcurrentDictionary<string, (long[] Ids, float[][] Embeddings)> acknowledged, ConcurrentDictionary<string, float[][]> attempted)
    {
        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString()))
        {
            await check.OpenAsync();
            using var integrity = check.CreateCommand();
            integrity.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", (string?)await integrity.ExecuteScalarAsync());
        }

        await using var store = await SqliteGalleryStore.OpenAsync(db, DefaultModels.EmbedderId, Dimension);
        var people = await store.ListPeopleAsync();

        // Nothing half-written: every person present has all the templates of their one enrolment, and was sent.
        foreach (var person in people)
        {
            Assert.True(attempted.ContainsKey(person.PersonId), $"{person.PersonId} was never sent");
            Assert.Equal(TemplatesPerEnrolment, person.TemplateCount);
        }

        // Nothing acknowledged is lost: same ids, same (normalised) embeddings.
        var present = people.Select(p => p.PersonId).ToHashSet();
        foreach (var (person, (ids, embeddings)) in acknowledged)
        {
            Assert.Contains(person, present);
            var templates = await store.GetTemplatesAsync(person);
            Assert.Equal(ids, templates.Select(t => t.TemplateId));
            for (int i = 0; i < templates.Count; i++)
            {
                var expected = (float[])embeddings[i].Clone();
                Embedding.Normalize(expected);
                Assert.True(Embedding.Cosine(expected, templates[i].Embedding) > 0.99999f, $"{person} template {i} differs from what was sent");
            }
        }
    }

    /// <summary>Enrols new people, three random embeddings each, until a request fails (the server is gone) or <paramref name="stop"/>.</summary>
    private async Task WriteUntilFailureAsync(Uri address, string prefix, ConcurrentDictionary<string, (long[] Ids, float[][] Embeddings)> acknowledged,
        ConcurrentDictionary<string, float[][]> attempted, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", _key);
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal));
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            string person = $"{prefix}-{n}";
            var embeddings = Enumerable.Range(0, TemplatesPerEnrolment).Select(_ => RandomVector(random)).ToArray();
            attempted[person] = embeddings;
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsJsonAsync($"/v1/gallery/persons/{person}/templates", new { embeddings }, stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return; // Killed: this enrolment may or may not have been committed, and was not acknowledged.
            }

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            acknowledged[person] = (body.GetProperty("template_ids").Deserialize<long[]>()!, embeddings);
        }
    }

    private static float[] RandomVector(Random random)
    {
        var v = new float[Dimension];
        for (int i = 0; i < v.Length; i++)
            v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }
}
