using System.Runtime.Versioning;
using Faceprint.Cli;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Tests.Cli;

/// <summary>
/// <c>train</c>, <c>export</c> and <c>bench</c> run in companion executables, so the recognition CLI carries neither
/// TorchSharp nor ONNX Runtime; the root help still lists them, and the hand-over passes arguments, output and exit code through.
/// </summary>
public sealed class CompanionHandOverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-handover-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheRecognitionCliReferencesNeitherTorchSharpNorOnnxRuntime()
    {
        var references = typeof(CliApp).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Faceprint", references);
        foreach (var heavy in new[] { "TorchSharp", "Faceprint.Training", "Microsoft.ML.OnnxRuntime", "Faceprint.OnnxRuntime" })
            Assert.DoesNotContain(heavy, references);
    }

    [Fact]
    public async Task TheRootHelpListsTheHandedOverCommands()
    {
        var run = await CliRun.StartAsync("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("train", run.Stdout);
        Assert.Contains("export", run.Stdout);
        Assert.Contains("(runs faceprint-train)", run.Stdout);
        Assert.Contains("(runs faceprint-bench)", run.Stdout);
    }

    [Theory]
    [InlineData("train", "faceprint-train")]
    [InlineData("export", "faceprint-train")]
    [InlineData("bench", "faceprint-bench")]
    public void EachHandedOverCommandHasItsCompanion(string command, string tool)
    {
        Assert.Equal(tool, CompanionExecutable.For([command, "--help"])?.ToolCommand);
        Assert.Null(CompanionExecutable.For(["compare", command]));
        Assert.Null(CompanionExecutable.For([]));
    }

    [Fact]
    public void LocateTriesTheVariableThenTheOwnFolderThenPath()
    {
        var training = CompanionExecutable.Training;
        string own = Directory.CreateDirectory(Path.Combine(_folder, "own")).FullName;
        string onPath = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        string searchPath = string.Join(Path.PathSeparator, Path.Combine(_folder, "missing"), onPath);

        Assert.Null(training.Locate(null, own, searchPath));

        string tool = Path.Combine(onPath, OperatingSystem.IsWindows() ? "faceprint-train.exe" : "faceprint-train");
        File.WriteAllText(tool, "");
        Assert.Equal(tool, training.Locate(null, own, searchPath));

        string beside = Path.Combine(own, "Faceprint.Training.Cli.dll");
        File.WriteAllText(beside, "");
        Assert.Equal(beside, training.Locate("", own, searchPath));

        Assert.Equal("/opt/x/faceprint-train", training.Locate("/opt/x/faceprint-train", own, searchPath));
    }

    [Fact]
    public async Task AMissingCompanionIsOneErrorLineThatSaysHowToGetIt()
    {
        var (code, stdout, stderr) = await HandOverAsync(null, "train", "--config", "run.yaml");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("faceprint: error: 'faceprint train' runs in faceprint-train", line);
        Assert.Contains("FACEPRINT_TRAIN", line);

        (code, _, stderr) = await HandOverAsync(Path.Combine(_folder, "nothing-here"), "export", "x.pt");
        Assert.Equal(1, code);
        Assert.Contains("FACEPRINT_TRAIN names", stderr);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // the stand-in companion is a shell script
    public async Task ArgumentsOutputAndExitCodeGoThroughUnchanged()
    {
        string fake = Path.Combine(_folder, "faceprint-train");
        File.WriteAllText(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\necho 'to stderr' >&2\nexit 7\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (code, stdout, stderr) = await HandOverAsync(fake, "train", "--config", "my run.yaml", "--help");

        Assert.Equal(7, code);
        Assert.Equal(["arg:train", "arg:--config", "arg:my run.yaml", "arg:--help"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("to stderr", stderr.Trim());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> HandOverAsync(string? executable, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var companion = CompanionExecutable.For(args)!;
        int code = await CompanionHandOver.RunAsync(companion, executable, args, new CliOutput(stdout, stderr, false), CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
