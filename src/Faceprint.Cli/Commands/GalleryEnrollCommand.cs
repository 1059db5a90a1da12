using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint gallery enroll --db CONNECTION --person ID IMG...</c>: one template per image from its most prominent
/// face. Every image is embedded before anything is written, and the write is one all-or-nothing store call, so an
/// image without a face (or any other failure) enrols none of them.
/// </summary>
internal sealed class GalleryEnrollCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _person = GalleryOptions.Person("Who the faces belong to");
    private readonly Argument<string[]> _images = new("IMG") { Description = "Photos of the person (the subject face of each, see --face, is enrolled)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _source = new("--source") { Description = "Note recorded with every template (e.g. where the photos came from)", HelpName = "TEXT" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;
    private readonly EngineSettings _engine;
    private readonly LivenessSettings _liveness;

    private GalleryEnrollCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_person);
        command.Add(_images);
        command.Add(_source);
        command.Add(_json);
        _engine = new EngineSettings(command, embedderModel: true, faceChoice: true);
        _liveness = new LivenessSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("enroll", "Enrol the most prominent face of each photo for a person, all or nothing");
        _ = new GalleryEnrollCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string person = parse.GetRequiredValue(_person);
        string[] paths = parse.GetRequiredValue(_images);
        var options = _liveness.Apply(parse, _engine.Read(parse));
        // All images load before the engine exists: a typo fails at once, without a model pull first.
        var images = new List<Imaging.RgbImage>(paths.Length);
        foreach (var path in paths)
            images.Add(await EngineLoader.LoadImageAsync(path, options, ct));
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        await using var store = await _gallery.OpenAsync(parse, engine, ct);

        var faces = new List<EmbeddedFace>(paths.Length);
        for (int i = 0; i < paths.Length; i++)
            faces.Add(engine.EmbedSubject(images[i], paths[i], ct: ct));
        // Scored (and, with --require-live, refused) before the store call, so a spoof enrols nothing.
        var liveness = _liveness.Score(parse, engine, paths.Select((p, i) => (p, images[i], faces[i].Face)).ToList());
        var ids = await store.AddAsync(person, faces.Select(f => f.Embedding).ToList(), parse.GetValue(_source), ct);

        if (parse.GetValue(_json))
        {
            var enrolled = paths.Select((p, i) => new EnrolledImageJson(p, ids[i], FaceJson.From(faces[i].Face), liveness[i] is { } l ? LivenessJson.From(l) : null)).ToList();
            JsonOutput.Write(_output.Out, new GalleryEnrollReport(_gallery.Shown(parse), person, store.ModelId, ids, enrolled));
            return ExitCodes.Success;
        }

        _output.Out.WriteLine(TextFormat.Invariant($"enrolled {person}: {TextFormat.Count(ids.Count, "template", "templates")} (ids {string.Join(", ", ids)})"));
        for (int i = 0; i < paths.Length; i++)
            if (liveness[i] is { } l)
                _output.Out.WriteLine($"{paths[i]}: {LivenessJson.Text(l)}");
        return ExitCodes.Success;
    }
}
