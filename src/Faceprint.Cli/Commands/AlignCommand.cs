using System.CommandLine;
using Faceprint.Alignment;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;
using Faceprint.Imaging;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint align IMG --out DIR</c>: writes the 112×112 aligned crop of every face as IMGNAME_faceN.png.</summary>
internal sealed class AlignCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Image file" };
    private readonly Option<string> _out = new("--out") { Description = "Folder for the crops (created if needed)", HelpName = "DIR", Required = true };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private AlignCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        command.Add(_out);
        command.Add(_json);
        _engine = new EngineSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("align", "Write the 112x112 aligned crop of each face as PNG (IMGNAME_face0.png, ...)");
        _ = new AlignCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        string folder = parse.GetRequiredValue(_out);
        var options = _engine.Read(parse);
        var image = await EngineLoader.LoadImageAsync(path, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var faces = engine.Detect(image, ct);
        // Nothing to write is a failure here, unlike detect: the caller asked for crops.
        if (faces.Count == 0) throw new NoFaceException($"no face found in {path}");

        string stem = Path.GetFileNameWithoutExtension(path);
        var written = new List<AlignedFaceJson>(faces.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var crop = engine.Align(image, faces[i]);
            string file = Path.Combine(folder, TextFormat.Invariant($"{stem}_face{i}.png"));
            ImageWriter.SavePng(crop, file);
            written.Add(new AlignedFaceJson(file, BoxJson.From(faces[i].Box), faces[i].Score));
        }

        if (parse.GetValue(_json))
            JsonOutput.Write(_output.Out, new AlignReport(path, FaceAligner.Size, written));
        else
            foreach (var face in written) _output.Out.WriteLine(face.File);
        return ExitCodes.Success;
    }
}
