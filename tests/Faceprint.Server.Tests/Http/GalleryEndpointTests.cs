using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class GalleryEndpointTests(EngineFixture fixture)
{
    [Fact]
    public async Task Enrolled_people_are_listed_identified_verified_and_removed()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        var enrolled = await client.PostAsync("/v1/gallery/persons/p1/templates?source=passport", Images.Form(("image", Images.Img1), ("image", Images.Img1)));
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal("/v1/gallery/persons/p1", enrolled.Headers.Location?.OriginalString);
        var enrolment = await LoopbackServer.ReadJsonAsync(enrolled);
        Assert.Equal(2, enrolment.GetProperty("template_ids").GetArrayLength());
        Assert.Equal(2, enrolment.GetProperty("faces").GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/gallery/persons/p3/templates", Images.Raw(Images.Img3))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/gallery/persons/p0/templates", Images.Raw(Images.Face0))).StatusCode);

        var list = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(["p0:1", "p1:2", "p3:1"], list.GetProperty("persons").EnumerateArray()
            .Select(p => $"{p.GetProperty("person_id").GetString()}:{p.GetProperty("template_count").GetInt32()}"));
        var detail = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons/p1"));
        Assert.All(detail.GetProperty("templates").EnumerateArray(), t => Assert.Equal("passport", t.GetProperty("source").GetString()));

        // img2 shows p1's person: identified first and a match; the others are not.
        var identified = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/identify?k=3", Images.Raw(Images.Img2)));
        var candidates = identified.GetProperty("candidates");
        Assert.Equal(3, candidates.GetArrayLength());
        Assert.Equal("p1", candidates[0].GetProperty("person_id").GetString());
        Assert.True(candidates[0].GetProperty("is_match").GetBoolean());
        Assert.False(candidates[1].GetProperty("is_match").GetBoolean());
        Assert.True(candidates[0].GetProperty("similarity").GetSingle() > candidates[1].GetProperty("similarity").GetSingle());
        Assert.Equal(1, (await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/identify?k=1", Images.Raw(Images.Img2)))).GetProperty("candidates").GetArrayLength());

        var verified = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/persons/p1/verify", Images.Form(("image", Images.Img2))));
        Assert.True(verified.GetProperty("is_match").GetBoolean());
        Assert.Equal(candidates[0].GetProperty("similarity").GetSingle(), verified.GetProperty("similarity").GetSingle());
        var rejected = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/persons/p3/verify", Images.Raw(Images.Img2)));
        Assert.False(rejected.GetProperty("is_match").GetBoolean());
        // A threshold below the similarity flips the verdict.
        float similarity = rejected.GetProperty("similarity").GetSingle();
        var lenient = await LoopbackServer.ReadJsonAsync(await client.PostAsync(
            FormattableString.Invariant($"/v1/gallery/persons/p3/verify?threshold={similarity - 0.01f}"), Images.Raw(Images.Img2)));
        Assert.True(lenient.GetProperty("is_match").GetBoolean());

        var removed = await LoopbackServer.ReadJsonAsync(await client.DeleteAsync("/v1/gallery/persons/p1"));
        Assert.Equal(2, removed.GetProperty("removed_templates").GetInt32());
        await Problems.AssertAsync(await client.DeleteAsync("/v1/gallery/persons/p1"), HttpStatusCode.NotFound, "unknown_person");
        await Problems.AssertAsync(await client.GetAsync("/v1/gallery/persons/p1"), HttpStatusCode.NotFound, "unknown_person");
        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/p1/verify", Images.Raw(Images.Img2)), HttpStatusCode.NotFound, "unknown_person");
        var after = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/identify", Images.Raw(Images.Img2)));
        Assert.DoesNotContain(after.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("person_id").GetString() == "p1");
    }

    [Fact]
    public async Task Embeddings_sent_as_json_enrol_identify_and_verify_like_images()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        var embedded = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/embed", Images.Raw(Images.Img1)));
        float[] embedding = embedded.GetProperty("faces")[0].GetProperty("embedding").Deserialize<float[]>()!;
        float[] scaled = embedding.Select(x => x * 3).ToArray();

        var enrolled = await client.PostAsJsonAsync("/v1/gallery/persons/json-person/templates", new { embeddings = new[] { embedding, scaled } });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.False((await LoopbackServer.ReadJsonAsync(enrolled)).TryGetProperty("faces", out _));

        var identified = await LoopbackServer.ReadJsonAsync(await client.PostAsJsonAsync("/v1/gallery/identify", new { embedding = scaled }));
        Assert.Equal("json-person", identified.GetProperty("candidates")[0].GetProperty("person_id").GetString());
        Assert.Equal(1.0f, identified.GetProperty("candidates")[0].GetProperty("similarity").GetSingle(), 4);
        var verified = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/gallery/persons/json-person/verify", Images.Raw(Images.Img2)));
        Assert.True(verified.GetProperty("is_match").GetBoolean());
    }

    [Fact]
    public async Task An_enrolment_with_a_faceless_image_enrols_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        string detail = await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/p/templates", Images.Form(("image", Images.Img1), ("image", Images.Dogs))),
            HttpStatusCode.UnprocessableEntity, "no_face");
        Assert.Contains("dogs.jpg", detail);

        var list = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(0, list.GetProperty("persons").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_parameters_and_embeddings_get_a_clear_400()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { MaxImagesPerEnrolment = 2 });
        var client = server.Client();
        float[] good = Enumerable.Repeat(0.1f, fixture.Engine.EmbeddingSize).ToArray();

        async Task<string> Refused(Task<HttpResponseMessage> send) => await Problems.AssertAsync(await send, HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains("embeddings have 192", await Refused(client.PostAsJsonAsync("/v1/gallery/persons/p/templates", new { embeddings = new[] { new float[] { 1, 2, 3 } } })));
        Assert.Contains("all zeros", await Refused(client.PostAsJsonAsync("/v1/gallery/persons/p/templates", new { embeddings = new[] { new float[fixture.Engine.EmbeddingSize] } })));
        Assert.Contains("non-empty", await Refused(client.PostAsJsonAsync("/v1/gallery/persons/p/templates", new { embeddings = Array.Empty<float[]>() })));
        Assert.Contains("at most 2", await Refused(client.PostAsJsonAsync("/v1/gallery/persons/p/templates", new { embeddings = new[] { good, good, good } })));
        Assert.Contains("at most 2", await Refused(client.PostAsync("/v1/gallery/persons/p/templates", Images.Form(("image", Images.Img1), ("image", Images.Img1), ("image", Images.Img1)))));
        Assert.Contains("not valid JSON", await Refused(client.PostAsync("/v1/gallery/identify", new StringContent("{\"embedding\": [1, 2", System.Text.Encoding.UTF8, "application/json"))));
        Assert.Contains("embedding is missing", await Refused(client.PostAsJsonAsync("/v1/gallery/identify", new { vector = good })));
        Assert.Contains("k must be between 1 and 100", await Refused(client.PostAsJsonAsync("/v1/gallery/identify?k=0", new { embedding = good })));
        Assert.Contains("threshold must be", await Refused(client.PostAsJsonAsync("/v1/gallery/identify?threshold=1.5", new { embedding = good })));
        Assert.Contains("k", await Refused(client.PostAsJsonAsync("/v1/gallery/identify?k=abc", new { embedding = good })));
        Assert.Contains("person id", await Refused(client.PostAsJsonAsync("/v1/gallery/persons/" + new string('x', 129) + "/templates", new { embeddings = new[] { good } })));
        Assert.Contains("person id", await Refused(client.GetAsync("/v1/gallery/persons/a%0Ab")));

        var list = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(0, list.GetProperty("persons").GetArrayLength());
    }
}
