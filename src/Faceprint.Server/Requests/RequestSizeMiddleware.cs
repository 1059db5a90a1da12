using Faceprint.Server.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Faceprint.Server.Requests;

/// <summary>
/// The service's own limits on the request target and headers, answered with the JSON error body. Kestrel answers
/// requests over its limits itself, before any middleware and with an empty body; so Kestrel's limits are set to
/// <see cref="HardLimitFactor"/> times these, and a request between the two gets a 414 or 431 a client can read.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next)
{
    /// <summary>Longest request target (path and query) accepted, in bytes.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Largest total of header names and values accepted, in bytes.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Most request headers accepted.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's limits, beyond which it still answers with an empty body, are this many times the above.</summary>
    public const int HardLimitFactor = 4;

    public Task InvokeAsync(HttpContext context)
    {
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > MaxTargetLength)
            return ProblemResponder.WriteAsync(context, StatusCodes.Status414UriTooLong, ErrorCodes.UriTooLong,
                $"the request target is {target.Length} bytes; at most {MaxTargetLength} are accepted");
        if (context.Request.Headers.Count > MaxHeaderCount)
            return ProblemResponder.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorCodes.HeadersTooLarge,
                $"the request has {context.Request.Headers.Count} headers; at most {MaxHeaderCount} are accepted");
        long headerBytes = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (string? value in values)
                headerBytes += name.Length + (value?.Length ?? 0);
        }

        if (headerBytes > MaxHeaderBytes)
            return ProblemResponder.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorCodes.HeadersTooLarge,
                $"the request headers total {headerBytes} bytes; at most {MaxHeaderBytes} are accepted");
        return next(context);
    }
}
