using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Gallery;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint gallery identify --db CONNECTION IMG</c>: who is the most prominent face? The k most similar enrolled people.</summary>
internal sealed class GalleryIdentifyCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Photo to identify (its subject face, see --face)" };
    private readonly Option<int> _top = GalleryOptions.Top();
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;
    private readonly EngineSettings _engine;

    private GalleryIdentifyCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_image);
        command.Add(_top);
        command.Add(_json);
        _engine = new EngineSettings(command, "Cosine similarity at or above which a candidate counts as a match (default: the model's)", embedderModel: true, faceChoice: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("identify", "Find the enrolled people most similar to the most prominent face of a photo (1:N)");
        _ = new GalleryIdentifyCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        var options = _engine.Read(parse);
        await using var query = await GalleryProbe.OpenAsync(path, options, _gallery, parse, _output, ct);
        var (store, probe, threshold) = (query.Store, query.Face, query.Engine.Threshold);
        var candidates = await new FaceGallery(store).IdentifyAsync(probe.Embedding, parse.GetValue(_top), threshold, ct);

        if (parse.GetValue(_json))
        {
            var json = candidates.Select(c => new CandidateJson(c.PersonId, c.TemplateId, c.Similarity, c.IsMatch)).ToList();
            JsonOutput.Write(_output.Out, new GalleryIdentifyReport(path, _gallery.Shown(parse), store.ModelId, threshold, FaceJson.From(probe.Face), json));
            return ExitCodes.Success;
        }

        if (candidates.Count == 0)
        {
            _output.Out.WriteLine("the gallery is empty");
            return ExitCodes.Success;
        }

        _output.Out.WriteLine(TextFormat.Invariant($"{path}: face at {TextFormat.Box(probe.Face.Box)}, threshold {threshold:F3}"));
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            _output.Out.WriteLine(TextFormat.Invariant($"{i + 1,3}. {c.PersonId}  similarity {c.Similarity:F3}  {(c.IsMatch ? "match" : "no match")}"));
        }

        return ExitCodes.Success;
    }
}
