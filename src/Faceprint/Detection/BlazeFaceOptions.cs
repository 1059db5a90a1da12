namespace Faceprint.Detection;

/// <summary>
/// Tuning of <see cref="BlazeFaceDetector"/>. Defaults are MediaPipe's own graph options for the two models
/// (minimum score 0.5 short range, 0.6 full range; weighted suppression at IoU 0.3).
/// </summary>
public sealed record BlazeFaceOptions
{
    /// <summary>Lowest face score kept, in [0, 1]; null takes the model's MediaPipe default.</summary>
    public float? MinScore { get; init; }

    /// <summary>Overlap (IoU) above which lower-scoring detections are blended into a higher-scoring one.</summary>
    public float SuppressionThreshold { get; init; } = 0.3f;

    /// <summary>Throws when a value is outside its valid range.</summary>
    public void Validate()
    {
        if (MinScore is { } s && (s < 0 || s > 1 || float.IsNaN(s)))
            throw new ArgumentOutOfRangeException(nameof(MinScore), s, "the minimum score must be in [0, 1]");
        if (SuppressionThreshold is < 0 or > 1 || float.IsNaN(SuppressionThreshold))
            throw new ArgumentOutOfRangeException(nameof(SuppressionThreshold), SuppressionThreshold, "the suppression threshold must be in [0, 1]");
    }
}
