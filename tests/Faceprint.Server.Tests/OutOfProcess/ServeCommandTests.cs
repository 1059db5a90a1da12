using System.Net;
using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Server.Configuration;
using Faceprint.Server.Tests.Support;
using Faceprint.Tests.Support;

namespace Faceprint.Server.Tests.OutOfProcess;

/// <summary><c>faceprint serve</c> as users run it: keys from the environment, SIGTERM to stop, clear start-up errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-serve-").FullName;

    [Fact]
    public async Task Sigterm_drains_and_exits_0_with_the_enrolment_on_disk_and_no_key_in_the_output()
    {
        string key = "env-key-" + Guid.NewGuid().ToString("N");
        string db = Path.Combine(_folder, "gallery.db");
        using var server = ServerProcess.Start(
            ["serve", "--urls", "http://127.0.0.1:0", "--db", db, "--home", TestPaths.ModelHome, "--threads", "1"],
            new Dictionary<string, string?> { [ServerConfigFile.ApiKeysVariable] = $"ops:{key}" });
        using var client = new HttpClient { BaseAddress = await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90)) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/gallery/persons/p1/templates", Images.Raw(Images.Img1))).StatusCode);

        server.Terminate();
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {server.Stderr}");
        string output = string.Join('\n', server.StdoutLines);
        var events = server.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("Category").GetString() == "Faceprint.Server" && e.GetProperty("Message").GetString() == "stopping");
        Assert.Contains("\"Route\":\"/v1/gallery/persons/{person_id}/templates\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, output + server.Stderr, StringComparison.Ordinal);
        await using var store = await SqliteGalleryStore.OpenAsync(db, DefaultModels.EmbedderId, 192);
        Assert.Equal(1, (await store.ListPeopleAsync()).Single(p => p.PersonId == "p1").TemplateCount);
    }

    [Fact]
    public async Task Precision_int8_serves_the_default_models_int8_form_with_its_own_threshold()
    {
        string key = "int8-key-" + Guid.NewGuid().ToString("N");
        using var server = ServerProcess.Start(
            ["serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_folder, "g.db"), "--home", TestPaths.ModelHome, "--threads", "1", "--precision", "int8"],
            new Dictionary<string, string?> { [ServerConfigFile.ApiKeysVariable] = $"ops:{key}" });
        using var client = new HttpClient { BaseAddress = await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90)) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var response = await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Img2)));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(DefaultEmbedderQuantization.Calibration.Threshold, json.RootElement.GetProperty("threshold").GetSingle());
        // The two precisions' thresholds may round to the same value, so the similarity shows which network served:
        // the int8 engine's in process, not the fp32 one's.
        double served = json.RootElement.GetProperty("similarity").GetDouble();
        async Task<double> SimilarityAsync(EmbedderPrecision precision)
        {
            using var engine = await FaceEngine.CreateAsync(new FaceEngineOptions { Home = TestPaths.ModelHome, Threads = 1, Precision = precision });
            return (await engine.CompareAsync(Images.PathOf(Images.Img1), Images.PathOf(Images.Img2))).Similarity;
        }
        double int8 = await SimilarityAsync(EmbedderPrecision.Int8), fp32 = await SimilarityAsync(EmbedderPrecision.Fp32);
        Assert.Equal(int8, served, 1e-5);
        Assert.True(Math.Abs(fp32 - int8) > 1e-4, $"int8 {int8} and fp32 {fp32} similarities are too close to tell the networks apart");
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Without_api_keys_the_server_refuses_to_start_with_exit_code_2()
    {
        using var server = ServerProcess.Start(["serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_folder, "g.db"), "--home", TestPaths.ModelHome]);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("faceprint: error: no API keys configured", server.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "g.db")));
    }

    [Fact]
    public async Task A_config_file_with_an_unknown_setting_is_refused_by_name()
    {
        string config = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(config, """{ "api_keys": [{ "id": "a", "key": "0123456789abcdef" }], "max_request_byte": 5 }""");
        using var server = ServerProcess.Start(["serve", "--config", config, "--db", Path.Combine(_folder, "g.db"), "--home", TestPaths.ModelHome]);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("max_request_byte", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_db_or_gallery_it_says_on_stderr_that_it_uses_faceprint_gallery_db_in_the_working_directory()
    {
        string key = "env-key-" + Guid.NewGuid().ToString("N");
        using var server = ServerProcess.Start(
            ["serve", "--urls", "http://127.0.0.1:0", "--home", TestPaths.ModelHome, "--threads", "1"],
            new Dictionary<string, string?> { [ServerConfigFile.ApiKeysVariable] = $"ops:{key}" }, workingDirectory: _folder);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90));

        string expected = Path.Combine(_folder, "faceprint-gallery.db");
        Assert.Contains($"using {expected} (created if missing)", server.Stderr, StringComparison.Ordinal);
        Assert.Contains($"gallery sqlite:{expected}", string.Join('\n', server.StdoutLines), StringComparison.Ordinal);
        Assert.True(File.Exists(expected));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
