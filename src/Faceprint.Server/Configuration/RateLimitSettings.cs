namespace Faceprint.Server.Configuration;

/// <summary>Per-key token bucket: each key may send <see cref="Burst"/> requests at once and then <see cref="RequestsPerSecond"/> on average.</summary>
public sealed record RateLimitSettings
{
    /// <summary>Tokens added to a key's bucket every second.</summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Bucket size: how many requests a key may send back to back.</summary>
    public int Burst { get; init; } = 40;
}
