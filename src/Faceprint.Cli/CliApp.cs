using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Faceprint.Cli.Commands;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;

namespace Faceprint.Cli;

/// <summary>
/// The <c>faceprint</c> command line. Every expected failure ends as exactly one stderr line
/// "faceprint: error: MESSAGE" and a documented exit code, never a stack trace.
/// </summary>
public static class CliApp
{
    /// <summary>Runs the CLI with <paramref name="args"/>, writing results to <paramref name="stdout"/> and diagnostics to <paramref name="stderr"/>.</summary>
    /// <returns>The process exit code (see <c>faceprint --help</c>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, CancellationToken.None);

    /// <summary>As <see cref="RunAsync(string[], TextWriter, TextWriter)"/>, cancellable.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Training and the ONNX Runtime benchmark live in their own executables, so this one builds and runs without them.
        if (CompanionExecutable.For(args) is { } companion)
            return await CompanionHandOver.RunAsync(companion, companion.Locate(), args, CreateOutput(stdout, stderr), ct);
        return await RunAsync(CreateRootCommand, args, stdout, stderr, ct);
    }

    /// <summary>
    /// Runs the command tree <paramref name="createRoot"/> builds, with the CLI's error handling and exit codes; the
    /// companion executables run their commands through this too, so every part of the command line behaves alike.
    /// </summary>
    internal static async Task<int> RunAsync(Func<CliOutput, RootCommand> createRoot, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = CreateOutput(stdout, stderr);
        var root = createRoot(output);
        // Wrapping twice is harmless; a companion's tree gets the same guard as this one's.
        ValidatorGuard.Apply(root);
        var parse = root.Parse(args);
        output.Json = AsksForJson(parse);

        // System.CommandLine's own parse-error report adds the whole help text; keep to one line per problem.
        if (parse.Action is ParseErrorAction)
        {
            // Snapshot first: naming an error reads the option's value, which can add errors to the parse result.
            var errors = parse.Errors.ToList().Select(ParseErrorText.Of).Distinct().ToList();
            for (int i = 0; i < errors.Count; i++)
                output.WriteError(i == errors.Count - 1 ? $"{errors[i]} (see '{CommandPath(parse.CommandResult)} --help')" : errors[i], ExitCodes.BadInput);
            return ExitCodes.BadInput;
        }

        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, ct);
        }
        catch (Exception e) when (ErrorClassifier.TryClassify(e, out int exitCode, out string message))
        {
            output.WriteError(message, exitCode);
            return exitCode;
        }
        catch (Exception e)
        {
            // Not an expected failure, so a bug: the full exception is what a bug report needs.
            output.WriteInternalError(e);
            return ExitCodes.Failure;
        }
    }

    // A progress bar is drawn only on the real, interactive stderr; captured or redirected output stays plain.
    private static CliOutput CreateOutput(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>
    /// Whether the command the parser got to has <c>--json</c> set. Read from the parse result, not the raw arguments,
    /// so a "--json" that is the value of another option does not count.
    /// </summary>
    private static bool AsksForJson(ParseResult parse) =>
        parse.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(r => r.Option.Name == "--json") is { } json
        && ValidatorGuard.Converts(json) && json.GetValueOrDefault<bool>();

    /// <summary>"faceprint eval pairs" for the command the parser got to, so the help hint points at the right page.</summary>
    private static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c && c.Command is not RootCommand) names.Add(c.Command.Name);
        names.Add("faceprint");
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The command tree, every validator guarded (see <see cref="ValidatorGuard"/>); tests walk it too.</summary>
    internal static RootCommand CreateRootCommand(CliOutput output)
    {
        var root = new RootCommand($"faceprint: face detection, alignment, embedding and verification on CPU.\n\n{ExitCodes.HelpText}")
        {
            DetectCommand.Create(output),
            AlignCommand.Create(output),
            EmbedCommand.Create(output),
            CompareCommand.Create(output),
            LivenessCommand.Create(output),
            EvalCommand.Create(output),
            ModelsCommand.Create(output),
            CompanionExecutable.Training.HelpEntry(HandedOverCommands.Export, HandedOverCommands.ExportDescription),
            CompanionExecutable.Bench.HelpEntry(HandedOverCommands.Bench, HandedOverCommands.BenchDescription),
            ServeCommand.Create(output),
            CompanionExecutable.Training.HelpEntry(HandedOverCommands.Train, HandedOverCommands.TrainDescription + "; 'train pack' packs an image folder"),
            GalleryCommand.Create(output),
        };
        ValidatorGuard.Apply(root);
        return root;
    }
}
