using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Core.Weights;
using Faceprint.Engine;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint models list</c>: the converted model files in the cache, with sizes, each checked against its checksums.</summary>
internal sealed class ModelsListCommand
{
    private readonly CliOutput _output;
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsListCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_home);
        command.Add(_json);
        command.SetAction(Run);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("list", "List the cached model files and where the default threshold comes from");
        _ = new ModelsListCommand(command, output);
        return command;
    }

    private int Run(ParseResult parse)
    {
        var home = HomeResolver.Resolve(parse.GetValue(_home));
        string directory = home.ModelsDirectory;
        var files = Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*.fpm", SearchOption.AllDirectories)
                .OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Select(f => (File: f, Problem: VerifiedModelFiles.Problem(f.FullName)))
                .Select(x => new ModelFileJson(x.File.FullName, x.File.Length, x.File.LastWriteTimeUtc, x.Problem is null, x.Problem)).ToList()
            : [];

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new ModelsListReport(home.Root, directory, files, DefaultModels.EmbedderCalibration));
            return ExitCodes.Success;
        }
        WriteCalibration(DefaultModels.EmbedderCalibration);
        if (files.Count == 0)
        {
            _output.Out.WriteLine($"no cached models in {directory} (run 'faceprint models pull')");
            return ExitCodes.Success;
        }
        _output.Out.WriteLine($"models in {directory}:");
        foreach (var f in files)
        {
            // A broken file is marked where it is listed; the next run or 'models pull' rebuilds it.
            string mark = f.Problem is null ? "" : $"  ! does not verify: {f.Problem} (rebuilt on next use or by 'faceprint models pull')";
            _output.Out.WriteLine(TextFormat.Invariant($"  {Path.GetRelativePath(directory, f.Path)}  {Size(f.SizeBytes)}  {f.ModifiedUtc:yyyy-MM-dd HH:mm}Z{mark}"));
        }
        return ExitCodes.Success;
    }

    private void WriteCalibration(ThresholdCalibration c)
    {
        _output.Out.WriteLine(TextFormat.Invariant($"default threshold {c.Threshold:F3} for {DefaultModels.EmbedderId}: {c.Rule}, on {c.Data}; accuracy there {TextFormat.Percent(c.Accuracy)}"));
        foreach (var p in c.OperatingPoints)
            _output.Out.WriteLine(TextFormat.Invariant($"  --far {p.FalseAcceptRate:0.#e0}: threshold {p.Threshold:F3} (true accepts {TextFormat.Percent(p.TrueAcceptRate)})"));
    }

    private static string Size(long bytes) => bytes < 1 << 20
        ? TextFormat.Invariant($"{bytes / 1024.0:F1} KiB")
        : TextFormat.Invariant($"{bytes / 1024.0 / 1024.0:F1} MiB");
}
