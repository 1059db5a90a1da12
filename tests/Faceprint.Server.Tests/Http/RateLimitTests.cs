using System.Net;
using Faceprint.Server.Configuration;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class RateLimitTests(EngineFixture fixture)
{
    [Fact]
    public async Task A_key_past_its_burst_gets_429_while_other_keys_and_healthz_are_unaffected()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { RateLimit = new RateLimitSettings { RequestsPerSecond = 1, Burst = 3 } });
        var alice = server.Client(TestKeys.Alice);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 6 && limited is null; i++)
        {
            var response = await alice.GetAsync("/v1/gallery/persons");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
        }

        // At most one token is added per second, so the burst of 3 runs out within the first 5 quick requests.
        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(',', statuses));
        string detail = await Problems.AssertAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("burst 3", detail);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.ToString());

        Assert.Equal(HttpStatusCode.OK, (await server.Client(TestKeys.Bob).GetAsync("/v1/gallery/persons")).StatusCode);
        for (int i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await server.Client(key: null).GetAsync("/healthz")).StatusCode);

        var refused = server.Logs.Events.Where(e => e.EventName == "Request" && e.Values["Status"] == "429").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal("alice", e.Values["KeyId"]));
    }
}
