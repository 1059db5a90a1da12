using System.Net.Http.Json;
using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Faceprint.Server.Tests.Support;

/// <summary>
/// The real service on Kestrel, bound to a free loopback port, reached over real HTTP. Logs go to
/// <see cref="Logs"/> instead of the console.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    /// <summary>How the tests read the service's snake_case JSON.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];
    private bool _disposed;

    private LoopbackServer(WebApplication app, Uri baseAddress, CapturedLogs logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
    }

    /// <summary>Where the server listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Everything the server logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Starts a server with the test keys, generous rate limits and an in-memory gallery, changed by <paramref name="customize"/>.</summary>
    public static async Task<LoopbackServer> StartAsync(FaceEngine engine, Func<FaceprintServerOptions, FaceprintServerOptions>? customize = null)
    {
        var options = new FaceprintServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Gallery = "memory:",
            ApiKeys = [TestKeys.Alice, TestKeys.Bob],
            RateLimit = new RateLimitSettings { RequestsPerSecond = 10_000, Burst = 10_000 },
        };
        options = customize?.Invoke(options) ?? options;
        var logs = new CapturedLogs();
        var app = await FaceprintServer.BuildAsync(options, engine, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        return new LoopbackServer(app, new Uri(app.Urls.Single()), logs);
    }

    /// <summary>A client sending <paramref name="key"/> in X-Api-Key (none when null).</summary>
    public HttpClient Client(ApiKey? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
            client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        _clients.Add(client);
        return client;
    }

    /// <summary>A client with Alice's key.</summary>
    public HttpClient Client() => Client(TestKeys.Alice);

    /// <summary>Reads a JSON body the service wrote.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var client in _clients)
            client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
