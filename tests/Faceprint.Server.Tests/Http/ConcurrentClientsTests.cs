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

[Collection(ServerCollection.Name)]
public sealed class ConcurrentClientsTests(EngineFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private static readonly string[] Photos = [Images.Face0, Images.Img1, Images.Img2];

    [Fact]
    public async Task Sixteen_clients_enrolling_identifying_and_verifying_for_30_seconds_see_no_error_and_lose_no_enrolment()
    {
        string folder = Directory.CreateTempSubdirectory("faceprint-server-").FullName;
        string db = Path.Combine(folder, "gallery.db");
        try
        {
            var enrolled = new ConcurrentDictionary<string, long[]>();
            var failures = new ConcurrentQueue<string>();
            int requests = 0;
            await using (var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { Gallery = "sqlite:" + db }))
            {
                var stopwatch = Stopwatch.StartNew();
                var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
                {
                    var http = server.Client(c % 2 == 0 ? TestKeys.Alice : TestKeys.Bob);
                    var random = new Random(c);
                    for (int n = 0; stopwatch.Elapsed < Duration; n++)
                    {
                        try
                        {
                            await RoundAsync(http, $"c{c}-{n}", random, enrolled);
                            Interlocked.Add(ref requests, 3);
                        }
                        catch (Exception e)
                        {
                            failures.Enqueue($"client {c} round {n}: {e.Message}");
                        }
                    }
                })).ToArray();
                await Task.WhenAll(clients);

                output.WriteLine($"{Clients} clients, {stopwatch.Elapsed.TotalSeconds:F1} s: {requests} requests answered as expected ({requests / stopwatch.Elapsed.TotalSeconds:F1}/s), {enrolled.Count} enrolments, {failures.Count} failures");
                Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {failures.FirstOrDefault()}");
                Assert.True(enrolled.Count >= Clients, $"only {enrolled.Count} enrolments in {Duration}");

                var listed = await LoopbackServer.ReadJsonAsync(await server.Client().GetAsync("/v1/gallery/persons"));
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

    /// <summary>Enrol (an image, or two random embeddings as JSON), identify, verify; any unexpected answer throws.</summary>
    private async Task RoundAsync(HttpClient http, string person, Random random, ConcurrentDictionary<string, long[]> enrolled)
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
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await LoopbackServer.ReadJsonAsync(response);
    }
}
