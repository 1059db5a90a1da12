using System.Text.Json;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Bench;

/// <summary><c>faceprint bench</c> end to end: rows, consistent derived numbers, engine/ORT agreement, errors.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class BenchCommandTests
{
    private static readonly string Home = TestPaths.ModelHome;

    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public BenchCommandTests(DefaultModelsFixture models) => _ = models;

    [Fact]
    public async Task JsonHasARowPerModelThreadAndBatchPlusDetection()
    {
        var run = await CliRun.StartAsync("bench", TestImages.DataPath("img1.jpeg"), "--models", "facex-nano", "--threads", "1",
            "--batches", "1", "3", "--runs", "3", "--batch-runs", "2", "--json", "--home", Home, "--min-face", "120");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["facex-nano", "facex-nano", "mtcnn", "mtcnn+mobilefacenet"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal(["embed", "embed", "detect 640x480", "pipeline 640x480"], rows.Select(r => r.GetProperty("stage").GetString()));
        Assert.Equal([1, 3, 1, 1], rows.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.All(rows, r => Assert.Equal(1, r.GetProperty("threads").GetInt32()));
        foreach (var r in rows.Take(2))
        {
            double engine = r.GetProperty("engine_ms").GetDouble(), ort = r.GetProperty("ort_ms").GetDouble();
            Assert.True(engine > 0 && ort > 0);
            Assert.True(r.GetProperty("engine_p90_ms").GetDouble() >= engine && r.GetProperty("ort_p90_ms").GetDouble() >= ort);
            Assert.Equal(engine / ort, r.GetProperty("ratio").GetDouble(), 1e-9);
            long macs = r.GetProperty("macs_per_face").GetInt64();
            Assert.Equal(2.0 * macs / (engine * 1e6), r.GetProperty("gflops").GetDouble(), 1e-6);
            // Same weights, same input: the engine and ORT agree on the embedding (parity tolerance 1e-4).
            Assert.InRange(r.GetProperty("max_abs_diff").GetDouble(), 0, 1e-4);
            // The peak is measured on this CPU, so the median run cannot exceed it (a small margin for timer noise).
            Assert.InRange(r.GetProperty("peak_percent").GetDouble(), 0.1, 105);
        }
        Assert.All(rows.Skip(2), r =>
        {
            Assert.True(r.GetProperty("engine_ms").GetDouble() > 0);
            Assert.False(r.TryGetProperty("ort_ms", out _));
        });
    }

    [Fact]
    public async Task FaceLiVTRowsTimeTheReparameterizedFormAgainstTheTrainingForm()
    {
        var run = await CliRun.StartAsync("bench", "--models", "facex-nano", "facelivt-s-la", "--threads", "1", "--batches", "1", "--runs", "3", "--json",
            "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("model").GetString()!);
        // A real timing of three runs on a possibly loaded machine: only that it was measured is certain, not its size.
        var ratio = rows["facelivt-s-la"].GetProperty("reparam_train_ratio").GetDouble();
        Assert.True(double.IsFinite(ratio) && ratio > 0, $"reparam/train {ratio}");
        Assert.False(rows["facex-nano"].TryGetProperty("reparam_train_ratio", out _));
        // FaceLiVT is judged against its own engine/ORT goal; the CNN keeps the general one.
        Assert.Equal(0.7, rows["facelivt-s-la"].GetProperty("ort_goal").GetDouble());
        Assert.False(rows["facex-nano"].TryGetProperty("ort_goal", out _));

        var text = await CliRun.StartAsync("bench", "--models", "facelivt-s-la", "--threads", "1", "--batches", "1", "--runs", "2", "--home", Home);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"facelivt-s-la\s+embed\s+1\s+1\s+.*\d\.\d\d [✓✗]\s*$", text.Stdout.Split('\n').First(l => l.Contains("facelivt-s-la")));
        Assert.Contains("reparam/train: the reparameterized network's time over its training form's", text.Stdout);
        Assert.Contains("goal for facelivt-s-la: engine/ORT ≤ 0.7 at both", text.Stdout);
    }

    [Fact]
    public async Task TextIsATableWithThePeakDerivation()
    {
        var run = await CliRun.StartAsync("bench", "--models", "facex-nano", "--threads", "1", "--batches", "1", "--runs", "2", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("engine/ORT", run.Stdout);
        Assert.Matches(@"facex-nano\s+embed\s+1\s+1\s+\d+\.\d\d", run.Stdout);
        Assert.Contains("peak = FMA throughput measured on this CPU", run.Stdout);
    }

    [Fact]
    public async Task ByDefaultOnlyTheDefaultModelIsTimedWithProgressLinesOnStderr()
    {
        var run = await CliRun.StartAsync("bench", "--threads", "1", "--batches", "1", "2", "--runs", "2", "--batch-runs", "1", "--json", "--home", Home);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.All(doc.RootElement.EnumerateArray(), r => Assert.Equal("mobilefacenet", r.GetProperty("model").GetString()));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        // stderr is not a terminal here: one plain line per finished cell instead of silence until the end.
        Assert.Equal(["faceprint: benchmarking: 1/2", "faceprint: benchmarking: 2/2"], run.StderrLines.Select(l => l[..l.LastIndexOf(" (", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task AllAndModelsTogetherAreBadInput()
    {
        var run = await CliRun.StartAsync("bench", "--all", "--models", "facex-nano");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--all and --models", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task UnknownModelIsBadInputListingTheKnownOnes()
    {
        var run = await CliRun.StartAsync("bench", "--models", "resnet", "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown model(s) resnet; known: mobilefacenet, facex-nano, facex-tiny, facex-standard, facex-xs", run.Stderr);
    }
}
