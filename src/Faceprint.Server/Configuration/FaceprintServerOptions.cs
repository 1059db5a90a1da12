using Faceprint.Engine;

namespace Faceprint.Server.Configuration;

/// <summary>Everything the HTTP service is set up from; see <see cref="ServerConfigFile"/> for how a file and the environment map onto it.</summary>
public sealed record FaceprintServerOptions
{
    /// <summary>Addresses Kestrel listens on, e.g. "http://127.0.0.1:8080"; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Which gallery store to open; see <see cref="Faceprint.Gallery.GalleryConnection"/> for the accepted forms.</summary>
    public string Gallery { get; init; } = "faceprint-gallery.db";

    /// <summary>Clients allowed to call the /v1 endpoints; at least one is required.</summary>
    public IReadOnlyList<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>Per-key request rate.</summary>
    public RateLimitSettings RateLimit { get; init; } = new();

    /// <summary>Largest request body in bytes (a whole multipart upload counts once); larger requests get 413.</summary>
    public long MaxRequestBytes { get; init; } = 20_000_000;

    /// <summary>Largest decoded image in pixels; larger images are refused from their header, before decoding.</summary>
    public long MaxImagePixels { get; init; } = 40_000_000;

    /// <summary>
    /// Most pixels of an image actually decoded and searched for faces. A larger image (up to <see cref="MaxImagePixels"/>)
    /// is decoded straight to a reduced size (JPEG and WebP scale while decoding, PNG rows are averaged as they stream)
    /// and the faces found are reported in its full-size coordinates; the smallest face found grows in proportion.
    /// This bounds the memory and time one upload can cost, whatever its header claims.
    /// </summary>
    public long MaxDecodePixels { get; init; } = 4_000_000;

    /// <summary>
    /// Memory the decodes and detections in flight may use together, estimated from each image's decoded size; requests
    /// beyond it wait their turn (one always runs).
    /// </summary>
    public long MaxInferenceMemoryBytes { get; init; } = 256_000_000;

    /// <summary>Most images one enrolment request may carry.</summary>
    public int MaxImagesPerEnrolment { get; init; } = 16;

    /// <summary>Engine settings, used when the server creates its own engine.</summary>
    public FaceEngineOptions Engine { get; init; } = new();

    /// <summary>How many requests may decode and run networks at once; the rest wait without holding a thread.</summary>
    public int MaxConcurrentInference { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the options, naming the first problem.</summary>
    /// <exception cref="ServerConfigurationException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (Urls.Count == 0)
            throw new ServerConfigurationException("no listen address: pass --urls, e.g. http://127.0.0.1:8080");
        if (string.IsNullOrWhiteSpace(Gallery))
            throw new ServerConfigurationException("no gallery: pass --db FILE or --gallery CONNECTION");
        if (ApiKeys.Count == 0)
            throw new ServerConfigurationException($"no API keys configured: set {ServerConfigFile.ApiKeysVariable}=\"id:key\" or list api_keys in the --config file");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in ApiKeys)
        {
            if (string.IsNullOrEmpty(key.Id) || key.Id.Length > 64 || !key.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                throw new ServerConfigurationException($"API key id '{key.Id}' must be 1 to 64 letters, digits, '.', '_' or '-'");
            if (!ids.Add(key.Id))
                throw new ServerConfigurationException($"API key id '{key.Id}' is listed twice");
            if (key.Key is null || key.Key.Length < ApiKey.MinimumKeyLength)
                throw new ServerConfigurationException($"API key '{key.Id}' is shorter than {ApiKey.MinimumKeyLength} characters");
        }

        if (RateLimit.RequestsPerSecond < 1 || RateLimit.Burst < 1)
            throw new ServerConfigurationException("rate_limit.requests_per_second and rate_limit.burst must be at least 1");
        if (MaxRequestBytes < 1024)
            throw new ServerConfigurationException("max_request_bytes must be at least 1024");
        if (MaxImagePixels < 1)
            throw new ServerConfigurationException("max_image_pixels must be at least 1");
        if (MaxDecodePixels < 10_000)
            throw new ServerConfigurationException("max_decode_pixels must be at least 10000");
        if (MaxInferenceMemoryBytes < 1_000_000)
            throw new ServerConfigurationException("max_inference_memory_bytes must be at least 1000000");
        if (MaxImagesPerEnrolment < 1)
            throw new ServerConfigurationException("max_images_per_enrolment must be at least 1");
        if (MaxConcurrentInference < 1)
            throw new ServerConfigurationException("max_concurrent_inference must be at least 1");
    }
}
