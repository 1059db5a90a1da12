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
        return values.Count == 1 ? values[0] switch
        {
            "prominent" => FaceChoice.Prominent,
            "largest" => FaceChoice.Largest,
            _ => throw ApiException.BadRequest($"query parameter '{Parameter}' must be 'prominent' or 'largest', got '{values[0]}'"),
        } : throw ApiException.BadRequest($"query parameter '{Parameter}' given {values.Count} times");
    }

    /// <summary>The spelling used in responses.</summary>
    public static string Spell(FaceChoice choice) => choice == FaceChoice.Largest ? "largest" : "prominent";
}
