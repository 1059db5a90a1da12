namespace Faceprint.Tests.Cli;

/// <summary>Help and argument errors: handled by the parser, before any image or model is touched.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task HelpDocumentsCommandsAndExitCodes()
    {
        var run = await CliRun.StartAsync("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var word in new[] { "detect", "align", "embed", "compare", "liveness", "eval", "models", "gallery", "Exit codes", "2  bad input", "3  model problem", "--require-live" })
            Assert.Contains(word, run.Stdout);
    }

    [Theory]
    [InlineData(new string[0], "command")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "detect" }, "IMG")]
    [InlineData(new[] { "compare", "a.jpg" }, "B")]
    [InlineData(new[] { "detect", "a.jpg", "--threads", "0" }, "--threads")]
    [InlineData(new[] { "detect", "a.jpg", "--min-face", "5" }, "--min-face")]
    [InlineData(new[] { "compare", "a.jpg", "b.jpg", "--threshold", "2" }, "--threshold")]
    [InlineData(new[] { "align", "a.jpg" }, "--out")]
    [InlineData(new[] { "liveness", "a.jpg", "--threshold", "-1" }, "--threshold")]
    [InlineData(new[] { "gallery", "enroll", "--db", "g.db", "--person", "p", "a.jpg", "--liveness-threshold", "x" }, "--liveness-threshold")]
    [InlineData(new[] { "eval", "pairs", "--root", "r", "--pairs", "p", "--missing", "ignore" }, "ignore")]
    public async Task BadArgumentsExitWith2AndNameTheProblem(string[] args, string expected)
    {
        var run = await CliRun.StartAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.All(run.StderrLines, line => Assert.StartsWith("faceprint: error: ", line));
        Assert.Contains(expected, run.Stderr);
    }
}
