using System.Text.Json;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Evaluation.Ijb;

/// <summary><c>faceprint eval ijb</c> end to end on a synthetic IJB-C tree.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliEvalIjbTests(DefaultModelsFixture models)
{
    [Fact]
    public async Task JsonReportThenAResumedRunFromTheCache()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(Path.Combine(temp.Path, "IJBC"), models.Engine);
        string cache = Path.Combine(temp.Path, "ijbc.emb"), plots = Path.Combine(temp.Path, "plots");
        string[] args = ["eval", "ijb", "--root", tree.Layout.Root, "--target", "IJBC", "--json", "--home", TestPaths.ModelHome,
            "--cache", cache, "--plots", plots, "--threads", "2", "--batch", "5"];

        var run = await CliRun.StartAsync(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        using (var doc = JsonDocument.Parse(run.Stdout))
        {
            var r = doc.RootElement;
            Assert.Equal("IJBC", r.GetProperty("target").GetString());
            Assert.Equal(tree.PairedImageCount, r.GetProperty("images").GetInt32());
            Assert.Equal(0, r.GetProperty("cached_images").GetInt32());
            Assert.Equal(12, r.GetProperty("templates").GetInt32());
            Assert.Equal(tree.Pairs.Count, r.GetProperty("pairs").GetInt32());
            Assert.Equal(tree.Pairs.Count(p => p.Same), r.GetProperty("same_pairs").GetInt32());
            Assert.True(r.GetProperty("flip").GetBoolean() && r.GetProperty("norm_score").GetBoolean() && r.GetProperty("detector_score").GetBoolean());
            Assert.Equal([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1], r.GetProperty("tar_at_far").EnumerateArray().Select(t => t.GetProperty("far").GetDouble()));
            Assert.InRange(r.GetProperty("auc").GetDouble(), 0.9, 1.0);
        }
        Assert.True(new FileInfo(Path.Combine(plots, "roc.png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(plots, "scores.png")).Length > 0);
        // stderr is not a terminal here: progress comes as plain lines, the last one at the total.
        Assert.Contains($"embedding images: {tree.PairedImageCount}/{tree.PairedImageCount} (", run.Stderr);

        var resumed = await CliRun.StartAsync(args);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.DoesNotContain("embedding images", resumed.Stderr);
        using var again = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(tree.PairedImageCount, again.RootElement.GetProperty("cached_images").GetInt32());
        using var before = JsonDocument.Parse(run.Stdout);
        Assert.Equal(before.RootElement.GetProperty("auc").GetDouble(), again.RootElement.GetProperty("auc").GetDouble(), 9);
    }

    [Fact]
    public async Task TextReportListsTarAtEachFar()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(temp.Path, models.Engine);

        var run = await CliRun.StartAsync("eval", "ijb", "--root", tree.Layout.Root, "--target", "ijbc", "--no-cache",
            "--home", TestPaths.ModelHome, "--no-flip", "--normalize-images", "--no-detector-score");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("features:        flip off, norm score off, detector score off", run.Stdout);
        foreach (string far in new[] { "1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1" })
            Assert.Contains($"TAR@FAR={far}:", run.Stdout);
    }

    [Fact]
    public async Task MalformedMetaFileIsBadInputNamingFileAndLine()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(temp.Path, models.Engine);
        var lines = File.ReadAllLines(tree.Layout.TemplateMediaFile);
        lines[1] = lines[1] + " extra";
        File.WriteAllLines(tree.Layout.TemplateMediaFile, lines);

        var run = await CliRun.StartAsync("eval", "ijb", "--root", tree.Layout.Root, "--target", "IJBC", "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 2, run.ToString());
        Cli.CliErrorTests.AssertOneErrorLine(run, "ijbc_face_tid_mid.txt:2: expected 3 fields");
    }

    [Fact]
    public async Task MissingImageIsBadInputAndMissingMetaTooForTheOtherTarget()
    {
        using var temp = new TempDirectory();
        var tree = await IjbTree.CreateAsync(temp.Path, models.Engine);
        File.Delete(tree.Layout.ImagePath(tree.Images[0].Name));

        var missingImage = await CliRun.StartAsync("eval", "ijb", "--root", tree.Layout.Root, "--target", "IJBC", "--no-cache", "--home", TestPaths.ModelHome);
        var wrongTarget = await CliRun.StartAsync("eval", "ijb", "--root", tree.Layout.Root, "--target", "IJBB", "--home", TestPaths.ModelHome);

        Assert.True(missingImage.ExitCode == 2, missingImage.ToString());
        Assert.Contains(tree.Images[0].Name, missingImage.StderrLines[^1]);
        Assert.True(wrongTarget.ExitCode == 2, wrongTarget.ToString());
        Cli.CliErrorTests.AssertOneErrorLine(wrongTarget, "ijbb_name_5pts_score.txt");
    }
}
