using System.CommandLine;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint models</c>: the group of model cache commands.</summary>
internal static class ModelsCommand
{
    /// <summary>Builds the group with its subcommands.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("models", "Manage the model cache and describe models");
        command.Add(ModelsPullCommand.Create(output));
        command.Add(ModelsListCommand.Create(output));
        command.Add(ModelsInfoCommand.Create(output));
        command.Add(ModelsZooCommand.Create(output));
        command.Add(ModelsExportCommand.Create(output));
        command.Add(ModelsConvertCommand.Create(output));
        command.Add(ModelsImportCommand.Create(output));
        command.Add(ModelsQuantizeCommand.Create(output));
        return command;
    }
}
