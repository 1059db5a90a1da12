using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Server.Tests.Http;

/// <summary>
/// The load test (trait Category=Load, a few seconds on loopback): many clients on every endpoint at once, with a rate
/// limit low enough to refuse some of them. Nothing but 2xx and the 429s of the limit is allowed, no enrolment is lost,
/// and <c>/healthz</c> keeps answering quickly while inference saturates the CPU.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", "Load")]
public sealed class LoadTests(EngineFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);
    private static readonly string[] Photos = [Images.Face0, Images.Img1, Images.Img2];

    [Fact]
    public async Task Sixteen_clients_on_every_endpoint_see_only_2xx_or_429_lose_no_enrolment_and_health_stays_fast()
    {
        string folder = Directory.CreateTempSubdirectory("faceprint-server-").FullName;
        string db = Path.Combine(folder, "gallery.db");
        try
        {
            var enrolled = new ConcurrentDictionary<string, long[]>();
            var failures = new ConcurrentQueue<string>();
            int requests = 0, limited = 0;
            var health = new ConcurrentBag<double>();
            await using (var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with
            {
                Gallery = "sqlite:" + db,
                RateLimit = new Faceprint.Server.Configuration.RateLimitSettings { RequestsPerSecond = 8, Burst = 8 },
            }))
            {
                var stopwatch = Stopwatch.StartNew();
                var prober = Task.Run(async () =>
                {
                    var anonymous = server.Client(key: null);
                    while (stopwatch.Elapsed < Duration)
                    {
                        var clock = Stopwatch.StartNew();
                        var response = await anonymous.GetAsync("/healthz");
                        health.Add(clock.Elapsed.TotalMilliseconds);
                        if (response.StatusCode != HttpStatusCode.OK)
                            failures.Enqueue($"/healthz answered {(int)response.StatusCode}");
                        await Task.Delay(20);
                    }
                });
                var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
                {
                    var http = server.Client(c % 2 == 0 ? TestKeys.Alice : TestKeys.Bob);
                    var random = new Random(c);
                    for (int n = 0; stopwatch.Elapsed < Duration; n++)
                    {
                        try
                        {
                            Interlocked.Add(ref requests, await RoundAsync(http, $"c{c}-{n}", random, enrolled));
                        }
                        catch (RateLimitedException)
                        {
                            // As a well-behaved client would, back off a little before the next round.
                            Interlocked.Increment(ref limited);
                            await Task.Delay(100);
                        }
                        catch (Exception e)
                        {
                            failures.Enqueue($"client {c} round {n}: {e.Message}");
                        }
                    }
                })).ToArray();
                await Task.WhenAll(clients);
                await prober;

                var healthMs = health.Order().ToArray();
                output.WriteLine($"{Clients} clients, {stopwatch.Elapsed.TotalSeconds:F1} s: {requests} requests answered as expected ({requests / stopwatch.Elapsed.TotalSeconds:F1}/s), " +
                    $"{limited} rounds cut short by 429, {enrolled.Count} enrolments, {failures.Count} failures; /healthz {healthMs.Length} probes, " +
                    $"median {healthMs[healthMs.Length / 2]:F0} ms, max {healthMs[^1]:F0} ms");
                Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {failures.FirstOrDefault()}");
                Assert.True(enrolled.Count >= 4, $"only {enrolled.Count} enrolments in {Duration}");
                Assert.True(limited > 0, "the rate limit never refused a request: the load did not reach it");
                Assert.True(healthMs[healthMs.Length / 2] < 250, $"/healthz median {healthMs[healthMs.Length / 2]:F0} ms under load");

                // The keys' buckets are empty after the run: wait for a token instead of counting the 429 as a failure.
                HttpResponseMessage listing;
                while ((listing = await server.Client().GetAsync("/v1/gallery/persons")).StatusCode == HttpStatusCode.TooManyRequests)
                    await Task.Delay(200);
                var listed = await LoopbackServer.ReadJsonAsync(listing);
                var people = listed.GetProperty("persons").EnumerateArray().ToDictionary(p => p.GetProperty("person_id").GetString()!, p => p.GetProperty("template_count").GetInt32());
                Assert.Equal(enrolled.Keys.Order(StringComparer.Ordinal), people.Keys.Order(StringComparer.Ordinal));
                Assert.All(enrolled, e => Assert.Equal(e.Value.Length, people[e.Key]));
            }

            // The file holds the same, template ids included, once the server has let go of it.
            await using var store = await SqliteGalleryStore.OpenAsync(db, fixture.Engine.EmbedderId, fixture.Engine.EmbeddingSize);
            Assert.Equal(enrolled.Count, (await store.ListPeopleAsync()).Count);
            foreach (var (person, ids) in enrolled)
                Assert.Equal(ids, (await store.GetTemplatesAsync(person)).Select(t => t.TemplateId));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Enrol (an image, or two random embeddings as JSON), identify, verify, then one of detect, embed, compare or list;
    /// returns the number of requests made. A 429 ends the round (<see cref="RateLimitedException"/>); any other
    /// unexpected answer throws.
    /// </summary>
    private async Task<int> RoundAsync(HttpClient http, string person, Random random, ConcurrentDictionary<string, long[]> enrolled)
    {
        string photo = Photos[random.Next(Photos.Length)];
        bool byImage = random.Next(2) == 0;
        HttpResponseMessage enrolment = byImage
            ? await http.PostAsync($"/v1/gallery/persons/{person}/templates", Images.Raw(photo))
            : await http.PostAsJsonAsync($"/v1/gallery/persons/{person}/templates", new { embeddings = new[] { RandomUnit(random), RandomUnit(random) } });
        var created = await ExpectAsync(enrolment, HttpStatusCode.Created);
        enrolled[person] = created.GetProperty("template_ids").Deserialize<long[]>()!;

        var identified = await ExpectAsync(await http.PostAsync("/v1/gallery/identify?k=3", Images.Raw(photo)), HttpStatusCode.OK);
        if (identified.GetProperty("candidates").GetArrayLength() == 0)
            throw new InvalidOperationException("identify found no candidate in a non-empty gallery");

        var verified = await ExpectAsync(await http.PostAsync($"/v1/gallery/persons/{person}/verify", Images.Form(("image", photo))), HttpStatusCode.OK);
        if (verified.GetProperty("person_id").GetString() != person)
            throw new InvalidOperationException($"verify answered for {verified.GetProperty("person_id")} instead of {person}");
        // The probe is the enrolled photo itself, or unrelated to the random embeddings.
        if (verified.GetProperty("is_match").GetBoolean() != byImage)
            throw new InvalidOperationException($"verify of {person} (enrolled by {(byImage ? "image" : "embeddings")}) said is_match={!byImage}");

        switch (random.Next(4))
        {
            case 0:
                var detected = await ExpectAsync(await http.PostAsync("/v1/detect", Images.Raw(photo)), HttpStatusCode.OK);
                if (detected.GetProperty("faces").GetArrayLength() == 0)
                    throw new InvalidOperationException($"detect found no face in {photo}");
                break;
            case 1:
                await ExpectAsync(await http.PostAsync("/v1/embed", Images.Form(("image", photo))), HttpStatusCode.OK);
                break;
            case 2:
                await ExpectAsync(await http.PostAsync("/v1/compare", Images.Form(("a", photo), ("b", Photos[random.Next(Photos.Length)]))), HttpStatusCode.OK);
                break;
            default:
                await ExpectAsync(await http.GetAsync("/v1/gallery/persons"), HttpStatusCode.OK);
                break;
        }

        return 4;
    }

    private float[] RandomUnit(Random random)
    {
        var v = new float[fixture.Engine.EmbeddingSize];
        for (int i = 0; i < v.Length; i++)
            v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new RateLimitedException();
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await LoopbackServer.ReadJsonAsync(response);
    }

    /// <summary>A request of the round was refused by the rate limit, as the test intends some to be.</summary>
    private sealed class RateLimitedException : Exception;
}
