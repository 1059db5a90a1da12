using System.Diagnostics;
using Faceprint.Server.Security;

namespace Faceprint.Server.Logging;

/// <summary>
/// One structured log line per request: request id, method, route template, status, latency and the id of the
/// API key used. The route template is logged rather than the path, so person ids in URLs stay out of the logs,
/// and nothing from the body (images, embeddings) or the headers (keys) is ever read here. Requests refused by the
/// rate limit are counted into <see cref="RejectionSummary"/> instead of logged one by one.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger, RejectionSummary rejections)
{
    /// <summary>Response header that echoes the request id, so a client can quote it.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Status logged when the client went away before an answer was written (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
        try
        {
            await next(context);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            string keyId = context.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value ?? "-";
            int status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? ClientClosedRequest : context.Response.StatusCode;
            if (status == StatusCodes.Status429TooManyRequests)
                rejections.Count(keyId);
            else
                LogRequest(context.TraceIdentifier, context.Request.Method, route, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, keyId);
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information,
        Message = "{RequestId} {Method} {Route} -> {Status} in {LatencyMs} ms (key {KeyId})")]
    private partial void LogRequest(string requestId, string method, string route, int status, double latencyMs, string keyId);
}
