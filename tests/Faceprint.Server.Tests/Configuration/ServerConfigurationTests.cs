using Faceprint.Gallery;
using Faceprint.Server.Configuration;
using Faceprint.Server.Security;

namespace Faceprint.Server.Tests.Configuration;

public sealed class ServerConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-config-").FullName;

    [Fact]
    public void Keys_from_the_environment_are_id_colon_key_pairs_and_a_bad_entry_is_named_by_position_only()
    {
        var keys = ServerConfigFile.ParseKeys("a:key-one;b:key:with:colons\n c:three");
        Assert.Equal([new ApiKey("a", "key-one"), new ApiKey("b", "key:with:colons"), new ApiKey("c", "three")], keys);
        Assert.Empty(ServerConfigFile.ParseKeys("  "));

        var error = Assert.Throws<ServerConfigurationException>(() => ServerConfigFile.ParseKeys("a:x;secret-without-id"));
        Assert.Contains("entry 2", error.Message);
        Assert.DoesNotContain("secret-without-id", error.Message);
    }

    [Fact]
    public async Task A_config_file_overrides_the_defaults_and_its_keys_join_those_of_the_environment()
    {
        string path = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(path, """
            {
              // comments are allowed
              "gallery": "memory:",
              "api_keys": [{ "id": "file", "key": "file-key-0123456789" }],
              "rate_limit": { "requests_per_second": 5, "burst": 7 },
              "max_request_bytes": 123456,
              "max_image_pixels": 1000000,
            }
            """);
        var options = await ServerConfigFile.ApplyAsync(new FaceprintServerOptions(), path, name => name == ServerConfigFile.ApiKeysVariable ? "env:env-key-0123456789" : null);

        Assert.Equal("memory:", options.Gallery);
        Assert.Equal(["file", "env"], options.ApiKeys.Select(k => k.Id));
        Assert.Equal(new RateLimitSettings { RequestsPerSecond = 5, Burst = 7 }, options.RateLimit);
        Assert.Equal(123456, options.MaxRequestBytes);
        Assert.Equal(1_000_000, options.MaxImagePixels);
        Assert.Equal(new FaceprintServerOptions().MaxImagesPerEnrolment, options.MaxImagesPerEnrolment);
        options.Validate();
    }

    [Fact]
    public async Task Missing_and_invalid_config_files_are_reported_with_their_path()
    {
        string missing = Path.Combine(_folder, "missing.json");
        var notFound = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerConfigFile.ApplyAsync(new FaceprintServerOptions(), missing, _ => null));
        Assert.Contains(missing, notFound.Message);

        string typo = Path.Combine(_folder, "typo.json");
        await File.WriteAllTextAsync(typo, """{ "rate_limits": {} }""");
        var invalid = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerConfigFile.ApplyAsync(new FaceprintServerOptions(), typo, _ => null));
        Assert.Contains("rate_limits", invalid.Message);
    }

    [Theory]
    [InlineData("short", "shorter than 16")]
    [InlineData("dup", "listed twice")]
    [InlineData("bad id", "must be 1 to 64")]
    [InlineData("none", "no API keys configured")]
    public void Validation_names_the_problem(string problem, string message)
    {
        IReadOnlyList<ApiKey> keys = problem switch
        {
            "short" => [new ApiKey("a", "0123456789")],
            "dup" => [new ApiKey("a", "0123456789abcdef"), new ApiKey("a", "fedcba9876543210")],
            "bad id" => [new ApiKey("a b", "0123456789abcdef")],
            _ => [],
        };
        var error = Assert.Throws<ServerConfigurationException>(() => new FaceprintServerOptions { ApiKeys = keys }.Validate());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_key_ring_finds_exactly_the_configured_keys()
    {
        var ring = new ApiKeyRing([new ApiKey("a", "0123456789abcdef"), new ApiKey("b", "fedcba9876543210")]);

        Assert.Equal("a", ring.FindId("0123456789abcdef"));
        Assert.Equal("b", ring.FindId("fedcba9876543210"));
        Assert.Null(ring.FindId("0123456789abcde"));
        Assert.Null(ring.FindId("0123456789abcdef "));
        Assert.Null(ring.FindId(""));
        Assert.Equal("ApiKey { Id = a }", new ApiKey("a", "0123456789abcdef").ToString());
    }

    [Fact]
    public async Task Gallery_connection_strings_choose_the_store()
    {
        await using (var memory = await GalleryConnection.OpenAsync("memory:", "m", 4))
            Assert.IsType<InMemoryGalleryStore>(memory);
        string file = Path.Combine(_folder, "g.db");
        await using (var sqlite = await GalleryConnection.OpenAsync("sqlite:" + file, "m", 4))
            Assert.Equal(file, Assert.IsType<SqliteGalleryStore>(sqlite).Path);
        await using (var bare = await GalleryConnection.OpenAsync(file, "m", 4))
            Assert.IsType<SqliteGalleryStore>(bare);

        var unsupported = await Assert.ThrowsAsync<GalleryConnectionException>(() => GalleryConnection.OpenAsync("redis://db/gallery", "m", 4));
        Assert.Contains("redis:", unsupported.Message);
        await Assert.ThrowsAsync<GalleryModelMismatchException>(() => GalleryConnection.OpenAsync(file, "other-model", 4));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
