using System.Text.Json;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Bench;

/// <summary><c>faceprint bench --profile</c>: a per-layer-type table per model, thread count and batch.</summary>
public sealed class BenchProfileCommandTests
{
    [Fact]
    public async Task JsonHasAProfilePerModelWithSharesThatAddUp()
    {
        var run = await CliRun.StartAsync("bench", "--profile", "--models", "facelivt-s-sa", "--threads", "1", "--batches", "1",
            "--runs", "2", "--json", "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var profile = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal("facelivt-s-sa", profile.GetProperty("model").GetString());
        Assert.Equal(2, profile.GetProperty("runs").GetInt32());
        Assert.False(profile.GetProperty("per_image").GetBoolean());
        var types = profile.GetProperty("types").EnumerateArray().ToList();
        Assert.Contains(types, t => t.GetProperty("type").GetString() == "MultiHeadAttention");
        Assert.Equal(1.0, types.Sum(t => t.GetProperty("share").GetDouble()), 6);
        Assert.Equal(profile.GetProperty("total_ms").GetDouble(), types.Sum(t => t.GetProperty("ms").GetDouble()), 6);
    }

    [Fact]
    public async Task TextPrintsATablePerModel()
    {
        var run = await CliRun.StartAsync("bench", "--profile", "--models", "vit-t", "--threads", "1", "--batches", "1", "--runs", "1",
            "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("vit-t, 1 thread(s), batch 1:", run.Stdout);
        Assert.Contains("MultiHeadAttention", run.Stdout);
        Assert.Contains("GFLOP/s", run.Stdout);
    }

    [Fact]
    public async Task Int8ProfilesTheQuantizedForm()
    {
        var run = await CliRun.StartAsync("bench", "--profile", "--int8", "--models", "facex-nano", "--threads", "1", "--batches", "1",
            "--runs", "1", "--json", "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var profile = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.True(profile.GetProperty("int8").GetBoolean());
        var types = profile.GetProperty("types").EnumerateArray().Select(t => t.GetProperty("type").GetString()).ToList();
        Assert.Contains("Int8PointwiseConv", types);
        Assert.DoesNotContain("Conv2d 1x1", types);
    }

    [Fact]
    public async Task RefusesGalleryTogetherWithProfile()
    {
        var run = await CliRun.StartAsync("bench", "--profile", "--gallery", "--home", TestPaths.ModelHome);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--profile", run.Stderr);
    }
}
