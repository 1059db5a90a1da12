using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint embed IMG</c>: the L2-normalised embedding of every face.</summary>
internal sealed class EmbedCommand
{
    /// <summary>How many leading values the text output shows; the full vector is for --json.</summary>
    private const int PreviewLength = 8;

    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Image file" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private EmbedCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        command.Add(_json);
        _engine = new EngineSettings(command, embedderModel: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("embed", "Compute the embedding of each face (full vectors with --json)");
        _ = new EmbedCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        var options = _engine.Read(parse);
        var image = await EngineLoader.LoadImageAsync(path, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var faces = engine.DetectAndEmbed(image, ct);
        if (faces.Count == 0) throw new NoFaceException($"no face found in {path}");

        if (parse.GetValue(_json))
        {
            var json = faces.Select(f => new EmbeddedFaceJson(BoxJson.From(f.Face.Box), f.Face.Score, LandmarksJson.From(f.Face), f.Embedding)).ToList();
            JsonOutput.Write(_output.Out, new EmbedReport(path, engine.EmbedderId, engine.EmbeddingSize, json));
            return ExitCodes.Success;
        }
        _output.Out.WriteLine(TextFormat.Invariant($"{path}: {TextFormat.Count(faces.Count, "face", "faces")}, model {engine.EmbedderId} ({engine.EmbeddingSize}-d, unit length)"));
        for (int i = 0; i < faces.Count; i++)
        {
            var face = faces[i];
            _output.Out.WriteLine(TextFormat.Invariant($"face {i}: box {TextFormat.Box(face.Face.Box)}, score {face.Face.Score:F3}"));
            var head = face.Embedding.Take(PreviewLength).Select(v => TextFormat.Invariant($"{v:F4}"));
            _output.Out.WriteLine(TextFormat.Invariant($"  [{string.Join(", ", head)}, ...] (first {Math.Min(PreviewLength, face.Embedding.Length)} of {face.Embedding.Length}; --json for all)"));
        }
        return ExitCodes.Success;
    }
}
