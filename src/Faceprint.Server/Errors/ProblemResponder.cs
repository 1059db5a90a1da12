using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Faceprint.Server.Errors;

/// <summary>Writes <see cref="ApiProblem"/> responses with the service's JSON settings.</summary>
internal static class ProblemResponder
{
    /// <summary>Content type of error bodies.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Sets the status and writes the problem body; the response must not have started.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        var problem = new ApiProblem(status, ReasonPhrases.GetReasonPhrase(status), detail, code, context.TraceIdentifier);
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, json, ContentType, context.RequestAborted);
    }
}
