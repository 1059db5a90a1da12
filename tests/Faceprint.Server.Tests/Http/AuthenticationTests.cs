using System.Net;
using System.Net.Http.Headers;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class AuthenticationTests(EngineFixture fixture)
{
    [Fact]
    public async Task Every_v1_endpoint_refuses_a_request_without_a_key()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var anonymous = server.Client(key: null);
        var requests = new Func<Task<HttpResponseMessage>>[]
        {
            () => anonymous.PostAsync("/v1/detect", Images.Raw(Images.Img1)),
            () => anonymous.PostAsync("/v1/embed", Images.Raw(Images.Img1)),
            () => anonymous.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Img2))),
            () => anonymous.GetAsync("/v1/gallery/persons"),
            () => anonymous.GetAsync("/v1/gallery/persons/p1"),
            () => anonymous.PostAsync("/v1/gallery/persons/p1/templates", Images.Raw(Images.Img1)),
            () => anonymous.DeleteAsync("/v1/gallery/persons/p1"),
            () => anonymous.PostAsync("/v1/gallery/identify", Images.Raw(Images.Img1)),
            () => anonymous.PostAsync("/v1/gallery/persons/p1/verify", Images.Raw(Images.Img1)),
        };

        foreach (var send in requests)
        {
            var response = await send();
            string detail = await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Contains("missing API key", detail);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        // Nothing was enrolled by the refused enrolment.
        var people = await LoopbackServer.ReadJsonAsync(await server.Client().GetAsync("/v1/gallery/persons"));
        Assert.Equal(0, people.GetProperty("persons").GetArrayLength());
    }

    [Fact]
    public async Task Wrong_keys_are_refused_and_both_header_forms_work()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client(key: null);

        foreach (string wrong in new[] { "not-a-key-at-all-xxxx", TestKeys.Alice.Key + "x", TestKeys.Alice.Key[..^1], TestKeys.Alice.Key.ToUpperInvariant() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/gallery/persons");
            request.Headers.Add("X-Api-Key", wrong);
            string detail = await Problems.AssertAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal("invalid API key", detail);
        }

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/v1/gallery/persons"))
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Bob.Key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        }

        using (var badBearer = new HttpRequestMessage(HttpMethod.Get, "/v1/gallery/persons"))
        {
            badBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-wrong-wrong-wrong");
            await Problems.AssertAsync(await client.SendAsync(badBearer), HttpStatusCode.Unauthorized, "unauthorized");
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Client(TestKeys.Alice).GetAsync("/v1/gallery/persons")).StatusCode);
    }

    [Fact]
    public async Task Logs_name_the_key_id_and_route_but_never_the_key_person_or_embedding()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        var enrolled = await client.PostAsync("/v1/gallery/persons/secret-person-name/templates", Images.Raw(Images.Img1));
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var embedded = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/embed", Images.Raw(Images.Img1)));
        float first = embedded.GetProperty("faces")[0].GetProperty("embedding")[0].GetSingle();
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/gallery/persons"))
        {
            wrong.Headers.Add("X-Api-Key", "wrong-key-that-must-not-be-logged");
            await server.Client(key: null).SendAsync(wrong);
        }

        var requests = server.Logs.Events.Where(e => e.EventName == "Request").ToList();
        Assert.Contains(requests, e => e.Values["Route"] == "/v1/gallery/persons/{person_id}/templates" && e.Values["Status"] == "201" && e.Values["KeyId"] == "alice");
        Assert.Contains(requests, e => e.Values["Route"] == "/v1/embed" && e.Values["Status"] == "200");
        Assert.Contains(requests, e => e.Values["Status"] == "401" && e.Values["KeyId"] == "-");
        Assert.All(requests, e => Assert.False(string.IsNullOrEmpty(e.Values["RequestId"])));
        Assert.All(requests, e => Assert.True(double.Parse(e.Values["LatencyMs"]!, System.Globalization.CultureInfo.InvariantCulture) >= 0));

        string all = server.Logs.AllText;
        Assert.DoesNotContain(TestKeys.Alice.Key, all);
        Assert.DoesNotContain("wrong-key-that-must-not-be-logged", all);
        Assert.DoesNotContain("secret-person-name", all);
        Assert.DoesNotContain(first.ToString("R", System.Globalization.CultureInfo.InvariantCulture), all);
    }
}
