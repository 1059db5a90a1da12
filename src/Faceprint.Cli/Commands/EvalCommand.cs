using System.CommandLine;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint eval</c>: the group of benchmark commands.</summary>
internal static class EvalCommand
{
    /// <summary>Builds the group with its subcommands.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("eval", "Benchmark the pipeline on a labelled data set");
        command.Add(EvalPairsCommand.Create(output));
        command.Add(EvalBinCommand.Create(output));
        command.Add(EvalDetectCommand.Create(output));
        command.Add(EvalIjbCommand.Create(output));
        return command;
    }
}
