using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Gallery;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint gallery remove --db CONNECTION --person ID</c>: removes every template of a person.</summary>
internal sealed class GalleryRemoveCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _person = GalleryOptions.Person("Whose templates to remove");
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly GallerySettings _gallery;

    private GalleryRemoveCommand(Command command, CliOutput output)
    {
        _output = output;
        _gallery = new GallerySettings(command);
        command.Add(_person);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("remove", "Remove every template of a person");
        _ = new GalleryRemoveCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string person = parse.GetRequiredValue(_person);
        await using var store = await _gallery.OpenExistingAnyModelAsync(parse, ct);
        int removed = await store.RemovePersonAsync(person, ct);
        // Removing nobody is most likely a mistyped id; saying so beats a silent success.
        if (removed == 0)
            throw new UnknownPersonException(person);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new GalleryRemoveReport(_gallery.Shown(parse), person, removed));
            return ExitCodes.Success;
        }

        _output.Out.WriteLine(TextFormat.Invariant($"removed {person}: {TextFormat.Count(removed, "template", "templates")}"));
        return ExitCodes.Success;
    }
}
