namespace Faceprint.Server.Errors;

/// <summary>
/// The body of every error response (<c>application/problem+json</c>, RFC 9457 fields plus <c>code</c> and
/// <c>request_id</c>), so a client handles all failures, from a bad key to a missing face, the same way.
/// </summary>
/// <param name="Status">The HTTP status code, repeated for clients that only see the body.</param>
/// <param name="Title">The status phrase, e.g. "Unprocessable Content".</param>
/// <param name="Detail">One line saying what was wrong and, where it helps, how to fix it.</param>
/// <param name="Code">Stable machine-readable reason, e.g. "no_face"; see <see cref="ErrorCodes"/>.</param>
/// <param name="RequestId">Matches the request id in the service's logs.</param>
public sealed record ApiProblem(int Status, string Title, string Detail, string Code, string RequestId);
