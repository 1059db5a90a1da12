using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Gallery;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint gallery verify --db CONNECTION --person ID IMG</c>: is the most prominent face the claimed person?</summary>
internal sealed class GalleryVerifyCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _person = GalleryOptions.Person("The claimed identity");
    private readonly Argument<string> _image = new("IMG") { Description = "Photo to verify (its subject face, see --face)" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;
    private readonly EngineSettings _engine;

    private GalleryVerifyCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_person);
        command.Add(_image);
        command.Add(_json);
        _engine = new EngineSettings(command, "Cosine similarity at or above which the claim is accepted (default: the model's)", embedderModel: true, faceChoice: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("verify", "Check the most prominent face of a photo against one enrolled person's templates (1:1)");
        _ = new GalleryVerifyCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string person = parse.GetRequiredValue(_person);
        string path = parse.GetRequiredValue(_image);
        var options = _engine.Read(parse);
        await using var query = await GalleryProbe.OpenAsync(path, options, _gallery, parse, _output, ct);
        var (store, probe, threshold) = (query.Store, query.Face, query.Engine.Threshold);
        var result = await new FaceGallery(store).VerifyAsync(person, probe.Embedding, threshold, ct);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new GalleryVerifyReport(path, _gallery.Shown(parse), person, result.TemplateId, result.Similarity, threshold, result.IsMatch, FaceJson.From(probe.Face)));
            return ExitCodes.Success;
        }

        string verdict = result.IsMatch ? "match" : "not a match";
        _output.Out.WriteLine(TextFormat.Invariant($"{person}: {verdict} (similarity {result.Similarity:F3}, threshold {threshold:F3}, template {result.TemplateId})"));
        return ExitCodes.Success;
    }
}
