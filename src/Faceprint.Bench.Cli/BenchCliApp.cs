using System.CommandLine;
using Faceprint.Bench.Cli.Commands;
using Faceprint.Cli;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Bench.Cli;

/// <summary>
/// <c>faceprint bench</c> in its own executable, because it times the engine against ONNX Runtime. <c>faceprint bench …</c>
/// hands its arguments over unchanged; errors, notices and exit codes follow the <c>faceprint</c> conventions.
/// </summary>
public static class BenchCliApp
{
    /// <summary>Runs <c>bench</c> with <paramref name="args"/> (starting with <c>bench</c>).</summary>
    /// <returns>The process exit code (see <c>faceprint --help</c>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        CliApp.RunAsync(CreateRootCommand, args, stdout, stderr, CancellationToken.None);

    private static RootCommand CreateRootCommand(CliOutput output) =>
        new($"{CompanionExecutable.Bench.ToolCommand}: the benchmark of faceprint; 'faceprint bench' runs it.\n\n{ExitCodes.HelpText}")
        {
            BenchCommand.Create(output),
        };
}
