using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faceprint.Server.Configuration;

/// <summary>
/// Reads the service's settings from a JSON file and API keys from the environment. The file may hold
/// <c>gallery</c>, <c>api_keys</c> (<c>[{"id": "...", "key": "..."}]</c>), <c>rate_limit</c>
/// (<c>{"requests_per_second": N, "burst": N}</c>), <c>max_request_bytes</c>, <c>max_image_pixels</c>, <c>max_decode_pixels</c>, <c>max_inference_memory_bytes</c>,
/// <c>max_images_per_enrolment</c> and <c>max_concurrent_inference</c>; unknown keys are an error so a typo
/// cannot silently leave a limit at its default.
/// </summary>
public static class ServerConfigFile
{
    /// <summary>Environment variable with extra API keys: <c>id:key</c> pairs separated by ';' or whitespace.</summary>
    public const string ApiKeysVariable = "FACEPRINT_API_KEYS";

    private static readonly JsonSerializerOptions FileJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Returns <paramref name="options"/> with the settings of the file at <paramref name="path"/> (if given) applied and
    /// the keys of <see cref="ApiKeysVariable"/> (read through <paramref name="environment"/>) added.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The file is missing or not valid, or the variable is malformed.</exception>
    public static async Task<FaceprintServerOptions> ApplyAsync(FaceprintServerOptions options, string? path, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (path is not null)
            options = Apply(options, await ReadAsync(path, cancellationToken).ConfigureAwait(false));

        var fromEnvironment = ParseKeys(environment(ApiKeysVariable));
        return fromEnvironment.Count == 0 ? options : options with { ApiKeys = [.. options.ApiKeys, .. fromEnvironment] };
    }

    /// <summary>Parses the <see cref="ApiKeysVariable"/> format: <c>id:key</c> pairs separated by ';' or whitespace.</summary>
    /// <exception cref="ServerConfigurationException">A pair has no ':'.</exception>
    public static IReadOnlyList<ApiKey> ParseKeys(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return [];
        var keys = new List<ApiKey>();
        foreach (var pair in value.Split([';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            // The message names the entry's position only: the text may be a key.
            if (colon <= 0 || colon == pair.Length - 1)
                throw new ServerConfigurationException($"{ApiKeysVariable} entry {keys.Count + 1} is not of the form id:key");
            keys.Add(new ApiKey(pair[..colon], pair[(colon + 1)..]));
        }

        return keys;
    }

    private static async Task<ServerConfigDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ServerConfigDocument>(stream, FileJson, cancellationToken).ConfigureAwait(false)
                ?? throw new ServerConfigurationException($"config file {path} is empty (null)");
        }
        catch (JsonException e)
        {
            throw new ServerConfigurationException($"config file {path} is not valid: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerConfigurationException($"cannot read config file {path}: {e.Message}", e);
        }
    }

    private static FaceprintServerOptions Apply(FaceprintServerOptions options, ServerConfigDocument file) => options with
    {
        Gallery = file.Gallery ?? options.Gallery,
        ApiKeys = file.ApiKeys is null ? options.ApiKeys : [.. options.ApiKeys, .. file.ApiKeys],
        RateLimit = file.RateLimit ?? options.RateLimit,
        MaxRequestBytes = file.MaxRequestBytes ?? options.MaxRequestBytes,
        MaxImagePixels = file.MaxImagePixels ?? options.MaxImagePixels,
        MaxDecodePixels = file.MaxDecodePixels ?? options.MaxDecodePixels,
        MaxInferenceMemoryBytes = file.MaxInferenceMemoryBytes ?? options.MaxInferenceMemoryBytes,
        MaxImagesPerEnrolment = file.MaxImagesPerEnrolment ?? options.MaxImagesPerEnrolment,
        MaxConcurrentInference = file.MaxConcurrentInference ?? options.MaxConcurrentInference,
    };
}
