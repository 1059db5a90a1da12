namespace Faceprint.Server.Configuration;

/// <summary>The JSON config file as written (snake_case keys); every field is optional and overrides the default.</summary>
internal sealed record ServerConfigDocument
{
    public string? Gallery { get; init; }

    public List<ApiKey>? ApiKeys { get; init; }

    public RateLimitSettings? RateLimit { get; init; }

    public long? MaxRequestBytes { get; init; }

    public long? MaxImagePixels { get; init; }

    /// <summary>See <see cref="FaceprintServerOptions.MaxDecodePixels"/>.</summary>
    public long? MaxDecodePixels { get; init; }

    /// <summary>See <see cref="FaceprintServerOptions.MaxInferenceMemoryBytes"/>.</summary>
    public long? MaxInferenceMemoryBytes { get; init; }

    public int? MaxImagesPerEnrolment { get; init; }

    public int? MaxConcurrentInference { get; init; }
}
