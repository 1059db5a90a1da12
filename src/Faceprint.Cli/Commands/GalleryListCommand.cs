using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint gallery list --db CONNECTION</c>: enrolled people and their template counts.</summary>
internal sealed class GalleryListCommand
{
    private readonly CliOutput _output;
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;

    private GalleryListCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("list", "List enrolled people with their template counts");
        _ = new GalleryListCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        await using var store = await _gallery.OpenExistingAnyModelAsync(parse, ct);
        var people = await store.ListPeopleAsync(ct);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new GalleryListReport(_gallery.Shown(parse), store.ModelId, store.Dimension,
                people.Select(p => new PersonJson(p.PersonId, p.TemplateCount)).ToList()));
            return ExitCodes.Success;
        }

        foreach (var p in people)
            _output.Out.WriteLine(TextFormat.Invariant($"{p.PersonId}  {TextFormat.Count(p.TemplateCount, "template", "templates")}"));
        _output.Out.WriteLine(TextFormat.Invariant($"{TextFormat.Count(people.Count, "person", "people")}, {TextFormat.Count(people.Sum(p => p.TemplateCount), "template", "templates")}"));
        return ExitCodes.Success;
    }
}
