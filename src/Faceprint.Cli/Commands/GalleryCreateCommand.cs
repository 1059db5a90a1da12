using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint gallery create --db CONNECTION</c>: creates the gallery for the default model, recording its identity
/// and embedding size. On an existing gallery of that model it changes nothing, says that it exists and what it holds,
/// and still exits 0, so a setup script may run it every time.
/// </summary>
internal sealed class GalleryCreateCommand
{
    private readonly CliOutput _output;
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;

    private GalleryCreateCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("create", "Create a gallery for the default model (records the model's identity and embedding size)");
        _ = new GalleryCreateCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        bool existed = await _gallery.ExistsAsync(parse, ct);
        await using var store = await _gallery.OpenForDefaultModelAsync(parse, ct);
        var people = await store.ListPeopleAsync(ct);
        var report = new GalleryCreateReport(_gallery.Shown(parse), !existed, store.ModelId, store.Dimension, people.Count, people.Sum(p => p.TemplateCount));
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, report);
            return ExitCodes.Success;
        }

        _output.Out.WriteLine(TextFormat.Invariant(
            $"{(existed ? "gallery already exists" : "created gallery")} {report.Gallery}: model {report.Model} ({report.Dimension}-d), {TextFormat.Count(report.People, "person", "people")}, {TextFormat.Count(report.Templates, "template", "templates")}"));
        return ExitCodes.Success;
    }
}
