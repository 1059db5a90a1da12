using System.Text.Json;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary><c>eval pairs</c> end to end on a small LFW-layout tree of real photos.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliEvalPairsTests
{
    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public CliEvalPairsTests(DefaultModelsFixture models) => _ = models;

    [Fact]
    public async Task JsonReportHasTheProtocolNumbersAndTheImagesWithoutFace()
    {
        using var temp = new TempDirectory();
        string root = Path.Combine(temp.Path, "lfw");
        string pairs = LfwTree.Create(root);
        string plots = Path.Combine(temp.Path, "plots");

        // --min-face 120: every fixture face is far larger, and a shallower pyramid keeps the test quick.
        var run = await CliRun.StartAsync("eval", "pairs", "--root", root, "--pairs", pairs, "--plots", plots, "--json",
            "--home", TestPaths.ModelHome, "--min-face", "120");

        Assert.True(run.ExitCode == 0, run.ToString());
        // stderr is not a terminal: progress as plain lines, no bar.
        Assert.All(run.StderrLines, line => Assert.StartsWith("faceprint: embedding images: ", line));
        Assert.StartsWith($"faceprint: embedding images: {LfwTree.ImageCount}/{LfwTree.ImageCount} (", run.StderrLines[^1]);
        using var doc = JsonDocument.Parse(run.Stdout);
        var r = doc.RootElement;
        Assert.Equal(LfwTree.PairCount, r.GetProperty("pairs").GetInt32());
        Assert.Equal(LfwTree.PairCount, r.GetProperty("evaluated_pairs").GetInt32()); // missing pairs are kept, as "different"
        Assert.Equal(2, r.GetProperty("missing_pairs").GetInt32());
        Assert.Equal(LfwTree.ImageCount, r.GetProperty("images").GetInt32());
        Assert.Equal(2, r.GetProperty("no_face").GetInt32());
        Assert.Equal("count-as-different", r.GetProperty("missing_policy").GetString());
        Assert.EndsWith("Dogs_0001.jpg", Assert.Single(r.GetProperty("no_face_images").EnumerateArray()).GetString());
        var failed = Assert.Single(r.GetProperty("failed_images").EnumerateArray());
        Assert.EndsWith("Ghost_0001.jpg", failed.GetProperty("path").GetString());
        Assert.Contains("not found", failed.GetProperty("reason").GetString());

        Assert.InRange(r.GetProperty("accuracy").GetDouble(), 0.5, 1.0);
        Assert.InRange(r.GetProperty("std").GetDouble(), 0.0, 0.5);
        Assert.InRange(r.GetProperty("threshold").GetDouble(), -1.0, 1.0);
        Assert.InRange(r.GetProperty("auc").GetDouble(), 0.5, 1.0);
        Assert.Equal(2, r.GetProperty("folds").GetArrayLength());
        Assert.Equal([0.1, 0.01, 0.001], r.GetProperty("tar_at_far").EnumerateArray().Select(t => t.GetProperty("far").GetDouble()));
        Assert.True(new FileInfo(Path.Combine(plots, "roc.png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(plots, "scores.png")).Length > 0);
    }

    [Fact]
    public async Task ErrorsAndScoresListEveryWrongOrUnscoredPairAndEveryScore()
    {
        using var temp = new TempDirectory();
        string root = Path.Combine(temp.Path, "lfw");
        string pairs = LfwTree.Create(root);
        string errors = Path.Combine(temp.Path, "errors"), scores = Path.Combine(temp.Path, "scores.csv");

        var run = await CliRun.StartAsync("eval", "pairs", "--root", root, "--pairs", pairs, "--errors", errors, "--scores", scores, "--json",
            "--home", TestPaths.ModelHome, "--min-face", "120");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var report = doc.RootElement.GetProperty("errors");
        double threshold = report.GetProperty("threshold").GetDouble();
        var scoreRows = File.ReadAllLines(scores).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(LfwTree.PairCount, scoreRows.Count);
        var expected = scoreRows.Where(c => c[3] == "" || (double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture) > threshold) != (c[2] == "1"))
            .Select(c => c[0]).Order().ToList();

        var errorRows = File.ReadAllLines(Path.Combine(errors, "errors.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(expected, errorRows.Select(c => c[0]).Order().ToList());
        Assert.Equal(2, report.GetProperty("unscored").GetInt32());
        Assert.Equal(expected.Count - 2, report.GetProperty("misclassified").GetInt32());
        Assert.Contains(errorRows, c => c[4] == "no_face" && (c[5].EndsWith("Dogs_0001.jpg") || c[9].EndsWith("Dogs_0001.jpg")));
        Assert.Contains(errorRows, c => c[4] == "unreadable");
        Assert.True(new FileInfo(Path.Combine(errors, "errors-01.png")).Length > 0);
    }

    [Fact]
    public async Task MalformedPairsFileIsBadInput()
    {
        using var temp = new TempDirectory();
        string pairs = Path.Combine(temp.Path, "pairs.txt");
        File.WriteAllText(pairs, "2 3\nPersonA 1\n");

        var run = await CliRun.StartAsync("eval", "pairs", "--root", temp.Path, "--pairs", pairs, "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 2, run.ToString());
        CliErrorTests.AssertOneErrorLine(run, "pairs.txt:2");
    }

    [Fact]
    public async Task MissingRootFolderIsBadInput()
    {
        using var temp = new TempDirectory();
        var run = await CliRun.StartAsync("eval", "pairs", "--root", Path.Combine(temp.Path, "none"), "--pairs", Path.Combine(temp.Path, "p.txt"));

        Assert.True(run.ExitCode == 2, run.ToString());
        CliErrorTests.AssertOneErrorLine(run, "not found");
    }
}
