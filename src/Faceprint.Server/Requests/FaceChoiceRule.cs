using Faceprint.Detection;
using Faceprint.Server.Errors;

namespace Faceprint.Server.Requests;

/// <summary>The <c>face</c> query parameter: which face of an uploaded photo stands for it.</summary>
internal static class FaceChoiceRule
{
    /// <summary>Name of the query parameter.</summary>
    public const string Parameter = "face";

    /// <summary>The choice the request asks for; null (the engine's default, prominent) when absent.</summary>
    /// <exception cref="ApiException">400 for a value other than <c>prominent</c> or <c>largest</c>.</exception>
    public static FaceChoice? From(HttpRequest request)
    {
        var values = request.Query[Parameter];
        if (values.Count == 0) return null;
        if (values.Count > 1) throw ApiException.BadRequest($"query parameter '{Parameter}' given {values.Count} times");
        return FaceChoiceNames.TryParse(values[0], out var choice)
            ? choice
            : throw ApiException.BadRequest($"query parameter '{Parameter}' must be '{FaceChoiceNames.Prominent}' or '{FaceChoiceNames.Largest}', got '{values[0]}'");
    }
}
