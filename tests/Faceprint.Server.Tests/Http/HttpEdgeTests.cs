using System.Net;
using System.Net.Http.Json;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

/// <summary>Requests at the edges of the HTTP surface: odd person ids, bad parameters, wrong methods, oversized targets and headers.</summary>
[Collection(ServerCollection.Name)]
public sealed class HttpEdgeTests(EngineFixture fixture)
{
    private static readonly float[] Unit = [.. Enumerable.Range(0, 192).Select(i => i == 0 ? 1f : 0f)];

    [Theory]
    [InlineData("%20")]
    [InlineData("%C2%A0")]
    [InlineData("%E3%80%80")]
    [InlineData("a%2Fb")]
    [InlineData("%09x")]
    [InlineData("%20alice")]
    public async Task Person_ids_breaking_the_rule_get_400_with_the_rule_never_500(string encoded)
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        var enrol = await client.PostAsJsonAsync($"/v1/gallery/persons/{encoded}/templates", new { embeddings = new[] { Unit } });
        string detail = await Problems.AssertAsync(enrol, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("no leading or trailing space", detail, StringComparison.Ordinal);
        await Problems.AssertAsync(await client.GetAsync($"/v1/gallery/persons/{encoded}"), HttpStatusCode.BadRequest, "invalid_request");
        await Problems.AssertAsync(await client.DeleteAsync($"/v1/gallery/persons/{encoded}"), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_person_id_is_percent_decoded_once_as_UTF8_and_bytes_that_are_not_UTF8_are_refused()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        string detail = await Problems.AssertAsync(
            await client.PostAsJsonAsync("/v1/gallery/persons/%FF%FE/templates", new { embeddings = new[] { Unit } }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("UTF-8", detail, StringComparison.Ordinal);

        var literal = await LoopbackServer.ReadJsonAsync(await client.PostAsJsonAsync("/v1/gallery/persons/%25FF%25FE/templates", new { embeddings = new[] { Unit } }));
        Assert.Equal("%FF%FE", literal.GetProperty("person_id").GetString());
        var accented = await LoopbackServer.ReadJsonAsync(await client.PostAsJsonAsync("/v1/gallery/persons/Ren%C3%A9e/templates", new { embeddings = new[] { Unit } }));
        Assert.Equal("Renée", accented.GetProperty("person_id").GetString());
        var people = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(["%FF%FE", "Renée"], people.GetProperty("persons").EnumerateArray().Select(p => p.GetProperty("person_id").GetString()));
    }

    [Fact]
    public async Task A_parameter_that_does_not_parse_is_refused_in_the_services_words()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var response = await server.Client().PostAsJsonAsync("/v1/gallery/identify?k=abc", new { embedding = Unit });
        string detail = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("parameter 'k' must be a whole number, got 'abc'", detail);
        Assert.DoesNotContain("Nullable", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_method_is_405_method_not_allowed()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        await Problems.AssertAsync(await server.Client().GetAsync("/v1/detect"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Problems.AssertAsync(await server.Client().GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_multipart_file_under_another_field_name_is_refused_naming_the_expected_field()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        string detail = await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Form(("imgae", Images.Img1))), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("unexpected file field 'imgae'", detail, StringComparison.Ordinal);
        await Problems.AssertAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("c", Images.Img2))), HttpStatusCode.BadRequest, "invalid_request");
        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/p/templates", Images.Form(("photo", Images.Img1))), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Landmarks_are_named_as_in_the_CLI()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var json = await LoopbackServer.ReadJsonAsync(await server.Client().PostAsync("/v1/detect", Images.Raw(Images.Img1)));
        var landmarks = json.GetProperty("faces")[0].GetProperty("landmarks");
        Assert.Equal(["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"], landmarks.EnumerateObject().Select(p => p.Name));
        Assert.True(landmarks.GetProperty("left_eye").GetProperty("x").GetSingle() < landmarks.GetProperty("right_eye").GetProperty("x").GetSingle());
    }

    [Fact]
    public async Task An_overlong_target_and_oversized_headers_get_the_JSON_error_body()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        var longTarget = await client.GetAsync("/v1/gallery/persons/" + new string('a', 10_000));
        await Problems.AssertAsync(longTarget, HttpStatusCode.RequestUriTooLong, "uri_too_long");

        using var big = new HttpRequestMessage(HttpMethod.Get, "/v1/gallery/persons");
        big.Headers.Add("X-Padding", new string('p', 40_000));
        await Problems.AssertAsync(await client.SendAsync(big), HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");
    }

    [Fact]
    public async Task The_start_up_line_names_the_gallery_file_by_its_full_path()
    {
        string folder = Directory.CreateTempSubdirectory("faceprint-startup-").FullName;
        try
        {
            string db = Path.Combine(folder, "g.db");
            await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { Gallery = db });
            var listening = Assert.Single(server.Logs.Events, e => e.EventName == "Listening");
            Assert.Equal("sqlite:" + db, listening.Values["Gallery"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
