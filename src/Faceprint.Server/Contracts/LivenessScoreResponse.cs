using Faceprint.Liveness;

namespace Faceprint.Server.Contracts;

/// <summary>
/// One face's anti-spoofing outcome: score (lower is more likely live), the threshold it was judged at, the crop's
/// sharpness, the verdict (<c>live</c>, <c>spoof</c> or <c>blurry</c>), the tree leaf that scored it and the square crop.
/// </summary>
public sealed record LivenessScoreResponse(float Score, float Threshold, int Sharpness, string Verdict, bool Live, int Leaf, BoxResponse Crop)
{
    /// <summary>The wire form of a liveness result.</summary>
    public static LivenessScoreResponse From(LivenessResult r) => new(r.Score, r.Threshold, r.Sharpness, Spell(r.Verdict), r.IsLive, r.Leaf,
        new BoxResponse(r.Crop.X1, r.Crop.Y1, r.Crop.X2, r.Crop.Y2));

    /// <summary>"live", "spoof" or "blurry".</summary>
    public static string Spell(LivenessVerdict verdict) => verdict switch
    {
        LivenessVerdict.Live => "live",
        LivenessVerdict.Spoof => "spoof",
        _ => "blurry",
    };
}
