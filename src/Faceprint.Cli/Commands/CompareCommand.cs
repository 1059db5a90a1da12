using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Detection;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint compare A B</c>: whether the subject faces of two photos are the same person.</summary>
internal sealed class CompareCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _imageA = new("A") { Description = "First image" };
    private readonly Argument<string> _imageB = new("B") { Description = "Second image" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;
    private readonly LivenessSettings _liveness;

    private CompareCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_imageA);
        command.Add(_imageB);
        command.Add(_json);
        _engine = new EngineSettings(command, "Cosine similarity at or above which the faces count as the same person (default: the model's)", embedderModel: true, faceChoice: true);
        _liveness = new LivenessSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("compare", "Compare the subject face of two images (--face: the most prominent by default)");
        _ = new CompareCommand(command, output);
        return command;
    }

    private const string NoThreshold = "--model has no calibrated threshold: pass --threshold (faceprint eval pairs --model reports the best one on labelled pairs)";

    private static bool HasCalibratedThreshold(string model) =>
        Faceprint.Models.Zoo.ZooModels.Find(model) is { } zoo && !float.IsNaN(zoo.Threshold);

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string pathA = parse.GetRequiredValue(_imageA), pathB = parse.GetRequiredValue(_imageB);
        var options = _liveness.Apply(parse, _engine.Read(parse));
        // Only a zoo model can carry a calibrated threshold (model files and model sets never do): say so before any
        // image loads. The engine's own check below stays the rule; this one only fails sooner.
        if (options.EmbedderModel is { } model && options.Threshold is null && !HasCalibratedThreshold(model))
            throw new CliException(NoThreshold, ExitCodes.BadInput);
        // Both images load before the engine exists: a typo fails at once, without a model pull first.
        var imageA = await EngineLoader.LoadImageAsync(pathA, options, ct);
        var imageB = await EngineLoader.LoadImageAsync(pathB, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        if (!engine.HasThreshold) throw new CliException(NoThreshold, ExitCodes.BadInput);
        var a = engine.EmbedSubject(imageA, pathA, ct: ct);
        var b = engine.EmbedSubject(imageB, pathB, ct: ct);
        var liveness = _liveness.Score(parse, engine, [(pathA, imageA, a.Face), (pathB, imageB, b.Face)]);
        var (similarity, threshold, same, _, _) = engine.Compare(a, b);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new CompareReport(
                pathA, pathB, engine.EmbedderId, similarity, threshold, same, FaceChoiceNames.Spell(engine.FaceChoice),
                FaceJson.From(a.Face), a.FaceIndex, a.FacesFound, FaceJson.From(b.Face), b.FaceIndex, b.FacesFound,
                liveness[0] is { } la ? LivenessJson.From(la) : null, liveness[1] is { } lb ? LivenessJson.From(lb) : null));
            return ExitCodes.Success;
        }
        string verdict = same ? "same person" : "different people";
        _output.Out.WriteLine(TextFormat.Invariant($"{verdict} (similarity {similarity:F3}, threshold {threshold:F3})"));
        // Which face stood for a photo matters only when there was a choice.
        foreach (var (path, face) in new[] { (pathA, a), (pathB, b) })
            if (face.FacesFound > 1)
                _output.Out.WriteLine(TextFormat.Invariant($"{path}: {face.FacesFound} faces, used the {FaceChoiceNames.Spell(engine.FaceChoice)} one at {TextFormat.Box(face.Face.Box)}"));
        for (int i = 0; i < 2; i++)
            if (liveness[i] is { } l)
                _output.Out.WriteLine($"{(i == 0 ? pathA : pathB)}: {LivenessJson.Text(l)}");
        return ExitCodes.Success;
    }
}
