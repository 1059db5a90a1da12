using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint compare A B</c>: whether the most prominent faces of two photos are the same person.</summary>
internal sealed class CompareCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _imageA = new("A") { Description = "First image" };
    private readonly Argument<string> _imageB = new("B") { Description = "Second image" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private CompareCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_imageA);
        command.Add(_imageB);
        command.Add(_json);
        _engine = new EngineSettings(command, "Cosine similarity at or above which the faces count as the same person (default: the model's)", embedderModel: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("compare", "Compare the most prominent (largest) face of two images");
        _ = new CompareCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string pathA = parse.GetRequiredValue(_imageA), pathB = parse.GetRequiredValue(_imageB);
        var options = _engine.Read(parse);
        if (options.EmbedderModel is not null && options.Threshold is null)
            throw new CliException("--model has no calibrated threshold: pass --threshold (faceprint eval pairs --model reports the best one on labelled pairs)", ExitCodes.BadInput);
        // Both images load before the engine exists: a typo fails at once, without a model pull first.
        var imageA = await EngineLoader.LoadImageAsync(pathA, options, ct);
        var imageB = await EngineLoader.LoadImageAsync(pathB, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var a = engine.EmbedMostProminent(imageA, pathA, ct);
        var b = engine.EmbedMostProminent(imageB, pathB, ct);
        var (similarity, threshold, same, _, _) = engine.Compare(a, b);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new CompareReport(pathA, pathB, engine.EmbedderId, similarity, threshold, same, FaceJson.From(a.Face), FaceJson.From(b.Face)));
            return ExitCodes.Success;
        }
        string verdict = same ? "same person" : "different people";
        _output.Out.WriteLine(TextFormat.Invariant($"{verdict} (similarity {similarity:F3}, threshold {threshold:F3})"));
        return ExitCodes.Success;
    }
}
