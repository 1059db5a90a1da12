using Faceprint.Liveness;
using Faceprint.Server.Errors;

namespace Faceprint.Server.Requests;

/// <summary>What the <c>liveness</c> query parameter asks of an endpoint that takes one face per photo.</summary>
internal enum LivenessMode
{
    /// <summary>No anti-spoofing check (the parameter is absent).</summary>
    Off,

    /// <summary><c>liveness=report</c>: score each subject face and include the outcome.</summary>
    Report,

    /// <summary><c>liveness=require</c>: as report, and refuse (422 not_live) a face not judged live.</summary>
    Require,
}

/// <summary>The <c>liveness</c> query parameter and the refusal of a face judged not live.</summary>
internal static class LivenessRule
{
    /// <summary>Name of the query parameter.</summary>
    public const string Parameter = "liveness";

    /// <summary>The mode the request asks for.</summary>
    /// <exception cref="ApiException">400 for a value other than <c>report</c> or <c>require</c>.</exception>
    public static LivenessMode From(HttpRequest request)
    {
        var values = request.Query[Parameter];
        if (values.Count == 0) return LivenessMode.Off;
        if (values.Count > 1) throw ApiException.BadRequest($"query parameter '{Parameter}' given {values.Count} times");
        return values[0] switch
        {
            "report" => LivenessMode.Report,
            "require" => LivenessMode.Require,
            _ => throw ApiException.BadRequest($"query parameter '{Parameter}' must be 'report' or 'require', got '{values[0]}'"),
        };
    }

    /// <summary>With <see cref="LivenessMode.Require"/>, refuses <paramref name="result"/> unless it is live.</summary>
    /// <exception cref="ApiException">422 <see cref="ErrorCodes.NotLive"/>.</exception>
    public static void Enforce(LivenessMode mode, LivenessResult? result, string upload)
    {
        if (mode != LivenessMode.Require || result is null || result.IsLive) return;
        throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.NotLive, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{upload}: the face was judged {Contracts.LivenessScoreResponse.Spell(result.Verdict)} (liveness score {result.Score:F3}, threshold {result.Threshold:F3}, sharpness {result.Sharpness})"));
    }
}
