using System.CommandLine;
using Faceprint.Cli;
using Faceprint.Cli.Infrastructure;
using Faceprint.Training.Cli.Commands;

namespace Faceprint.Training.Cli;

/// <summary>
/// The training half of the <c>faceprint</c> command line (<c>train</c>, <c>train pack</c>, <c>export</c>), the commands
/// that need TorchSharp. <c>faceprint train …</c> and <c>faceprint export …</c> hand their arguments over unchanged, and
/// errors, notices and exit codes follow the <c>faceprint</c> conventions.
/// </summary>
public static class TrainingCliApp
{
    /// <summary>Runs the training commands with <paramref name="args"/> (starting with <c>train</c> or <c>export</c>).</summary>
    /// <returns>The process exit code (see <c>faceprint --help</c>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, CancellationToken.None);

    /// <summary>As <see cref="RunAsync(string[], TextWriter, TextWriter)"/>, cancellable.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        CliApp.RunAsync(CreateRootCommand, args, stdout, stderr, ct);

    private static RootCommand CreateRootCommand(CliOutput output) =>
        new($"{CompanionExecutable.Training.ToolCommand}: the training commands of faceprint; 'faceprint train' and 'faceprint export' run them.\n\n{ExitCodes.HelpText}")
        {
            TrainCommand.Create(output),
            ExportCommand.Create(output),
        };
}
