using Faceprint.Liveness;

namespace Faceprint.Cli.Output;

/// <summary>A face's anti-spoofing outcome as the CLI reports it: score (lower is more likely live), threshold, sharpness, verdict, routed leaf, the square crop scored.</summary>
internal sealed record LivenessJson(float Score, float Threshold, int Sharpness, string Verdict, bool Live, int Leaf, BoxJson Crop)
{
    /// <summary>Converts a library result.</summary>
    public static LivenessJson From(LivenessResult r) => new(r.Score, r.Threshold, r.Sharpness, Spell(r.Verdict), r.IsLive, r.Leaf, BoxJson.From(r.Crop));

    /// <summary>"live", "spoof" or "blurry".</summary>
    public static string Spell(LivenessVerdict verdict) => verdict switch
    {
        LivenessVerdict.Live => "live",
        LivenessVerdict.Spoof => "spoof",
        _ => "blurry",
    };

    /// <summary>One line of text: verdict, score, threshold, sharpness.</summary>
    public static string Text(LivenessResult r) =>
        TextFormat.Invariant($"{Spell(r.Verdict)} (liveness score {r.Score:F3}, threshold {r.Threshold:F3}, sharpness {r.Sharpness})");
}

/// <summary>One face of <c>faceprint liveness</c>: the detected face and its anti-spoofing outcome.</summary>
internal sealed record LivenessFaceJson(FaceJson Face, LivenessJson Liveness);

/// <summary>JSON of <c>faceprint liveness</c>: every detected face with its score, best detector score first.</summary>
internal sealed record LivenessReport(string Image, int Width, int Height, string Model, float Threshold, IReadOnlyList<LivenessFaceJson> Faces);
