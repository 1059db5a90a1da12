using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;

namespace Faceprint.Server.Errors;

/// <summary>
/// Turns every exception of a request into one <see cref="ApiProblem"/> response with the status that says whose
/// fault it was: bad input is a 4xx with the library's one-line message, anything else a 500 whose details go to
/// the log only. The server keeps serving either way.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone; there is nobody to answer.
        }
        catch (Exception e)
        {
            var (status, code, detail) = Classify(e, context.TraceIdentifier);
            if (status >= 500)
                LogFault(e, context.TraceIdentifier);
            else
                LogRefused(context.TraceIdentifier, status, code);
            if (context.Response.HasStarted)
                return;
            context.Response.Clear();
            await ProblemResponder.WriteAsync(context, status, code, detail);
        }
    }

    /// <summary>The status, code and detail an exception of a request is answered with.</summary>
    internal static (int Status, string Code, string Detail) Classify(Exception error, string requestId) => error switch
    {
        ApiException e => (e.Status, e.Code, e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (e.StatusCode, ErrorCodes.PayloadTooLarge, e.Message),
        BadHttpRequestException e => (e.StatusCode, ErrorCodes.InvalidRequest, BindingFailure.Describe(e.Message)),
        ImageLoadException e => (StatusCodes.Status400BadRequest, ErrorCodes.InvalidImage, e.Message),
        NoFaceException e => (StatusCodes.Status422UnprocessableEntity, ErrorCodes.NoFace, e.Message),
        UnknownPersonException e => (StatusCodes.Status404NotFound, ErrorCodes.UnknownPerson, e.Message),
        // Another process writing to the same gallery file: nobody's mistake, worth a retry.
        GalleryLockedException e => (StatusCodes.Status503ServiceUnavailable, ErrorCodes.GalleryBusy, e.Message),
        // The database itself failed: the server's fault, logged as such.
        GalleryStorageException => (StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, $"internal error; the service log has the details under request id {requestId}"),
        // The rest are refusals of what was sent (a person id breaking the rule, an embedding of the wrong length, ...).
        GalleryException e => (StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, e.Message),
        JsonException => (StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "the body is not valid JSON of the expected shape"),
        _ => (StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, $"internal error; the service log has the details under request id {requestId}"),
    };

    [LoggerMessage(EventId = 2, EventName = "Fault", Level = LogLevel.Error, Message = "{RequestId} failed")]
    private partial void LogFault(Exception error, string requestId);

    [LoggerMessage(EventId = 3, EventName = "Refused", Level = LogLevel.Information, Message = "{RequestId} refused: {Status} {Code}")]
    private partial void LogRefused(string requestId, int status, string code);
}
