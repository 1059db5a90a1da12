using System.CommandLine;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint gallery</c>: the group of enrolment, identification and verification commands.</summary>
internal static class GalleryCommand
{
    /// <summary>Builds the group with its subcommands.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("gallery", "Enrol people and identify (1:N) or verify (1:1) faces against a gallery (SQLite, PostgreSQL + pgvector)");
        command.Add(GalleryCreateCommand.Create(output));
        command.Add(GalleryEnrollCommand.Create(output));
        command.Add(GalleryIdentifyCommand.Create(output));
        command.Add(GalleryVerifyCommand.Create(output));
        command.Add(GalleryListCommand.Create(output));
        command.Add(GalleryRemoveCommand.Create(output));
        return command;
    }
}
