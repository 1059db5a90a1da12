using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Storage;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>Every expected failure ends with one stderr line naming the problem, a non-zero exit code and no stack trace.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliErrorTests
{
    private static readonly string Home = TestPaths.ModelHome;

    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public CliErrorTests(DefaultModelsFixture models) => _ = models;

    public static TheoryData<string, string> BadImages => new()
    {
        { "empty", "empty file" },
        { "text", "not an image" },
        { "truncated", "truncated" },
        { "huge", "30000x30000" },
        { "missing", "not found" },
        { "no-face", "no face" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task BadImageFailsWithOneLineAndExitCode2(string kind, string expected)
    {
        using var temp = new TempDirectory();
        string bad = kind switch
        {
            "empty" => BadImageFiles.Empty(temp.Path),
            "text" => BadImageFiles.Text(temp.Path),
            "truncated" => BadImageFiles.TruncatedJpeg(temp.Path),
            "huge" => BadImageFiles.HugePngHeader(temp.Path),
            "missing" => Path.Combine(temp.Path, "nowhere.jpg"),
            "no-face" => TestPaths.Fixture("negative/dogs.jpg"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var run = await CliRun.StartAsync("compare", bad, TestPaths.Fixture("deepface/img1.jpg"), "--json", "--home", Home, "--min-face", "120");

        Assert.True(run.ExitCode == 2, run.ToString());
        AssertOneErrorLine(run, expected);
        Assert.Contains(Path.GetFileName(bad), run.Stderr);
        // --json: the same error as one JSON object on stdout, for scripts that read only stdout.
        using var doc = JsonDocument.Parse(run.Stdout);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("bad_input", error.GetProperty("code").GetString());
        Assert.Equal(2, error.GetProperty("exit_code").GetInt32());
        Assert.Equal(Assert.Single(run.StderrLines), "faceprint: error: " + error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WithoutJsonAnErrorLeavesStdoutEmpty()
    {
        var run = await CliRun.StartAsync("compare", "nowhere-a.jpg", "nowhere-b.jpg", "--home", Home);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task UnderJsonAModelProblemIsAJsonErrorWithExitCode3()
    {
        using var temp = new TempDirectory();
        string notAModel = Path.Combine(temp.Path, "bad.fpm");
        await File.WriteAllTextAsync(notAModel, "not a model");

        var run = await CliRun.StartAsync("models", "info", notAModel, "--json");

        Assert.True(run.ExitCode == 3, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("model_problem", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task EmbedOfAnImageWithoutFaceIsBadInput()
    {
        var run = await CliRun.StartAsync("embed", TestPaths.Fixture("negative/dogs.jpg"), "--home", Home, "--min-face", "120");

        Assert.True(run.ExitCode == 2, run.ToString());
        AssertOneErrorLine(run, "no face");
    }

    [Fact]
    public async Task DetectOfAnImageWithoutFaceSucceedsWithNoFaces()
    {
        var run = await CliRun.StartAsync("detect", TestPaths.Fixture("negative/dogs.jpg"), "--home", Home, "--min-face", "120");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("0 faces", run.Stdout);
    }

    internal static void AssertOneErrorLine(CliRun run, string expected)
    {
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("faceprint: error: ", line);
        Assert.Contains(expected, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", line.Replace(" at or ", "", StringComparison.Ordinal)); // no stack frame
        Assert.DoesNotContain("Exception", line);
    }
}
