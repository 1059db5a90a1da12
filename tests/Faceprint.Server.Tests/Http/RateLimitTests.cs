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

        // Refusals are not logged one by one (a flood would fill the disk) but summed up per interval and at shutdown.
        int refusedCount = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.DoesNotContain(server.Logs.Events, e => e.EventName == "Request" && e.Values["Status"] == "429");
        await server.DisposeAsync();
        var summary = Assert.Single(server.Logs.Events, e => e.EventName == "RateLimited");
        Assert.Equal(refusedCount.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.Values["Count"]);
        Assert.Equal($"alice {refusedCount}", summary.Values["Keys"]);
    }

    [Fact]
    public async Task A_flood_of_refused_requests_writes_one_summary_line_not_one_line_each()
    {
        var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { RateLimit = new RateLimitSettings { RequestsPerSecond = 1, Burst = 1 } });
        var alice = server.Client(TestKeys.Alice);
        int refused = 0;
        for (int i = 0; i < 300; i++)
            refused += (await alice.GetAsync("/v1/gallery/persons")).StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        await server.DisposeAsync();

        Assert.True(refused >= 290, $"only {refused} refused");
        Assert.True(server.Logs.Events.Count < 30, $"{server.Logs.Events.Count} log events for {refused} refusals");
        Assert.Equal(refused, server.Logs.Events.Where(e => e.EventName == "RateLimited").Sum(e => int.Parse(e.Values["Count"]!, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
