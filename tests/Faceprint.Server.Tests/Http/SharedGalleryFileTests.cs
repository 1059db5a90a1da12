using System.Net;
using System.Net.Http.Json;
using Faceprint.Gallery;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

/// <summary>A running server and another writer (the CLI) on one SQLite gallery file.</summary>
[Collection(ServerCollection.Name)]
public sealed class SharedGalleryFileTests(EngineFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-shared-").FullName;

    [Fact]
    public async Task The_server_answers_for_people_enrolled_and_removed_by_another_process_without_a_restart()
    {
        string db = Path.Combine(_folder, "shared.db");
        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { Gallery = "sqlite:" + db });
        var client = server.Client();
        var person03 = new float[192];
        person03[0] = 1;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/gallery/persons/person03/templates", new { embeddings = new[] { person03 } })).StatusCode);

        await using (var cli = await SqliteGalleryStore.OpenAsync(db, fixture.Engine.EmbedderId, fixture.Engine.EmbeddingSize))
        {
            var p = new float[192];
            p[1] = 1;
            await cli.AddAsync("p", [p]);
            Assert.Equal(1, await cli.RemovePersonAsync("person03"));
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/gallery/persons/p")).StatusCode);
        await Problems.AssertAsync(await client.PostAsJsonAsync("/v1/gallery/persons/person03/verify", new { embedding = person03 }), HttpStatusCode.NotFound, "unknown_person");
        var identified = await LoopbackServer.ReadJsonAsync(await client.PostAsJsonAsync("/v1/gallery/identify", new { embedding = person03 }));
        Assert.DoesNotContain(identified.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("person_id").GetString() == "person03");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
