using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Imaging;
using Faceprint.Server.Configuration;
using Faceprint.Server.Endpoints;
using Faceprint.Server.Errors;
using Faceprint.Server.Inference;
using Faceprint.Server.Logging;
using Faceprint.Server.OpenApi;
using Faceprint.Server.Requests;
using Faceprint.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Faceprint.Server;

/// <summary>
/// Builds the Faceprint HTTP service: an ASP.NET Core minimal API over one <see cref="FaceEngine"/> and one gallery
/// store. The CLI's <c>faceprint serve</c> runs it; tests start it on a loopback port.
/// </summary>
public static class FaceprintServer
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>
    /// Creates the service, ready to <c>RunAsync</c> or <c>StartAsync</c>. It opens the gallery and, unless
    /// <paramref name="sharedEngine"/> is given, creates an engine (pulling the default models on first use); both
    /// are disposed with the returned application. A shared engine stays the caller's.
    /// </summary>
    /// <param name="options">Addresses, gallery, keys and limits; validated here.</param>
    /// <param name="sharedEngine">An engine to use instead of creating one.</param>
    /// <param name="configure">Last say over the builder, e.g. to replace the log providers.</param>
    /// <param name="cancellationToken">Cancels model set-up and opening the gallery.</param>
    /// <exception cref="ServerConfigurationException">The options are incomplete or out of range.</exception>
    /// <exception cref="GalleryException">The gallery cannot be opened or holds another model's embeddings.</exception>
    public static async Task<WebApplication> BuildAsync(
        FaceprintServerOptions options, FaceEngine? sharedEngine = null, Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // The service always loads the anti-spoofing network (about 4 MB) so /v1/liveness and liveness= work.
        var engine = sharedEngine ?? await FaceEngine.CreateAsync(options.Engine with { Liveness = true }, ct: cancellationToken).ConfigureAwait(false);
        IGalleryStore? store = null;
        try
        {
            try
            {
                store = await GalleryConnection.OpenAsync(options.Gallery, engine.EmbedderId, engine.EmbeddingSize, cancellationToken).ConfigureAwait(false);
            }
            catch (GalleryConnectionException e)
            {
                // A malformed or unknown gallery string is a configuration mistake like any other option.
                throw new ServerConfigurationException(e.Message, e);
            }

            var builder = CreateBuilder(options, engine, ownsEngine: sharedEngine is null, store);
            configure?.Invoke(builder);
            var app = builder.Build();
            ConfigurePipeline(app);
            return app;
        }
        catch
        {
            if (store is not null)
                await store.DisposeAsync().ConfigureAwait(false);
            if (sharedEngine is null)
                engine.Dispose();
            throw;
        }
    }

    private static WebApplicationBuilder CreateBuilder(FaceprintServerOptions options, FaceEngine engine, bool ownsEngine, IGalleryStore store)
    {
        // No args and no content root scanning: everything comes from the options, not from appsettings files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            // Kestrel's own refusals have empty bodies; RequestSizeMiddleware answers below these with the JSON error.
            kestrel.Limits.MaxRequestLineSize = RequestSizeMiddleware.MaxTargetLength * RequestSizeMiddleware.HardLimitFactor;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestSizeMiddleware.MaxHeaderBytes * RequestSizeMiddleware.HardLimitFactor;
            kestrel.Limits.MaxRequestHeaderCount = RequestSizeMiddleware.MaxHeaderCount * RequestSizeMiddleware.HardLimitFactor;
        });
        // Kestrel's body limit is the one that answers; the form reader's own limits must not trip first.
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = Math.Max(options.MaxRequestBytes, form.MultipartBodyLengthLimit));
        // faceprint serve runs under System.CommandLine, which ends the process 2 s after Ctrl+C/SIGTERM: drain within that.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1.5));
        builder.Services.Configure<RouteHandlerOptions>(route => route.ThrowOnBadRequest = true);

        ConfigureLogging(builder.Logging);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });

        builder.Services.AddSingleton(options);
        // Factory registrations make the container dispose what this server owns when the app is disposed.
        if (ownsEngine)
            builder.Services.AddSingleton(_ => engine);
        else
            builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(_ => store);
        builder.Services.AddSingleton(sp => new FaceGallery(sp.GetRequiredService<IGalleryStore>()));
        builder.Services.AddSingleton(_ => new InferenceGate(options.MaxConcurrentInference, options.MaxInferenceMemoryBytes));
        builder.Services.AddSingleton(sp => new FaceAnalyzer(sp.GetRequiredService<FaceEngine>(), sp.GetRequiredService<InferenceGate>(),
            new ImageLimits { MaxBytes = options.MaxRequestBytes, MaxPixels = options.MaxImagePixels, MaxDecodePixels = options.MaxDecodePixels }));
        builder.Services.AddSingleton(new ApiKeyRing(options.ApiKeys));
        builder.Services.AddSingleton<RejectionSummary>();

        // The core services only: AddAuthentication would also bring Data Protection, which writes a key ring to
        // disk that API keys never use.
        builder.Services.AddAuthenticationCore(auth =>
        {
            auth.AddScheme<ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, null);
            auth.DefaultScheme = ApiKeyAuthentication.Scheme;
        });
        builder.Services.AddWebEncoders();
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimiter(limiter => ConfigureRateLimiter(limiter, options.RateLimit));
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<ApiKeySecurityTransformer>();
            openApi.AddOperationTransformer<ImageBodyTransformer>();
        });
        return builder;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(console =>
        {
            // ASP.NET's scopes carry the raw request path (person ids); our events carry the request id themselves.
            console.IncludeScopes = false;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        logging.SetMinimumLevel(LogLevel.Information);
        // ASP.NET's own request logs carry raw paths and queries (person ids); ours carry route templates instead.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
    }

    private static void ConfigureRateLimiter(RateLimiterOptions limiter, RateLimitSettings settings)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            // Authentication has run by now; an anonymous request is about to get 401 and costs nothing to refuse.
            string? keyId = context.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value;
            return keyId is null
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.Burst,
                    TokensPerPeriod = settings.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
        });
        limiter.OnRejected = async (rejected, _) =>
        {
            if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProblemResponder.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                $"rate limit of {settings.RequestsPerSecond} requests per second (burst {settings.Burst}) for this API key reached; retry later");
        };
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<RequestSizeMiddleware>();
        // Unknown routes, wrong methods and binding failures end without a body; give them the problem body too.
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            int status = context.Response.StatusCode;
            string code = status switch
            {
                StatusCodes.Status404NotFound => ErrorCodes.NotFound,
                StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
                _ => ErrorCodes.InvalidRequest,
            };
            string detail = status switch
            {
                StatusCodes.Status404NotFound => $"no endpoint at {context.Request.Path}; see {OpenApiPath}",
                StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed here; see {OpenApiPath}",
                _ => "the request was refused",
            };
            await ProblemResponder.WriteAsync(context, status, code, detail);
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        HealthEndpoints.Map(app);
        app.MapOpenApi(OpenApiPath).AllowAnonymous().DisableRateLimiting();
        var v1 = app.MapGroup("/v1").RequireAuthorization();
        FaceEndpoints.Map(v1);
        GalleryEndpoints.Map(v1);

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ServerLog.Category);
        var engine = app.Services.GetRequiredService<FaceEngine>();
        var options = app.Services.GetRequiredService<FaceprintServerOptions>();
        string gallery = DescribeGallery(app.Services.GetRequiredService<IGalleryStore>(), options.Gallery);
        app.Lifetime.ApplicationStarted.Register(() => ServerLog.Listening(log, string.Join(' ', app.Urls), engine.EmbedderId, gallery, options.ApiKeys.Count));
        app.Lifetime.ApplicationStopping.Register(() => ServerLog.Stopping(log));
    }

    /// <summary>Where the gallery lives, for the start-up line: a SQLite file by its full path (it may have just been created there).</summary>
    private static string DescribeGallery(IGalleryStore store, string connection) =>
        store is SqliteGalleryStore sqlite ? "sqlite:" + sqlite.Path : GalleryConnection.Redact(connection);
}
