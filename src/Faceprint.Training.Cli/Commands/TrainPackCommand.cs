using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Training.Cli.Output;
using Faceprint.Training.Data;

namespace Faceprint.Training.Cli.Commands;

/// <summary>
/// <c>faceprint train pack --images DIR --out train.rec</c>: packs a folder of aligned faces (one sub-folder per identity)
/// into an InsightFace RecordIO pack with its index, the files copied as encoded.
/// </summary>
internal sealed class TrainPackCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _images = new("--images") { Description = "Folder with one sub-folder of aligned face images per identity", HelpName = "DIR", Required = true };
    private readonly Option<string> _out = new("--out") { Description = "The pack to write (the .idx goes next to it)", HelpName = "FILE", Required = true };
    private readonly Option<bool> _json = CommonOptions.Json();

    private TrainPackCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_images);
        command.Add(_out);
        command.Add(_json);
        command.SetAction(Run);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("pack", "Pack an image folder (one sub-folder per identity) into train.rec + train.idx");
        _ = new TrainPackCommand(command, output);
        return command;
    }

    private int Run(ParseResult parse)
    {
        string outPath = parse.GetRequiredValue(_out);
        ImageFolderDataset images;
        try
        {
            images = new ImageFolderDataset(parse.GetRequiredValue(_images));
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } folder)
            Directory.CreateDirectory(folder);
        int written = RecordIOPacker.Pack(images, outPath);
        string idx = Path.ChangeExtension(outPath, ".idx");
        if (parse.GetValue(_json))
            JsonOutput.Write(_output.Out, new TrainPackReport(parse.GetRequiredValue(_images), outPath, idx, written, images.ClassCount));
        else
            _output.Out.WriteLine($"packed {written} images of {images.ClassCount} identities into {outPath} (+ {idx})");
        return ExitCodes.Success;
    }
}
