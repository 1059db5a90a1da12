using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Detection;
using Faceprint.Imaging;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint detect IMG [--overlay OUT.png|OUT.jpg]</c>: boxes, scores and landmarks of every face.</summary>
internal sealed class DetectCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Image file (JPEG, PNG, WebP, BMP, GIF)" };
    private readonly Option<string?> _overlay = new("--overlay")
    {
        Description = $"Also write the image with the boxes and landmarks drawn, as PNG or JPEG by the file's extension ({ImageWriter.SupportedExtensions})",
        HelpName = "OUT.png",
    };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private DetectCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        command.Add(_overlay);
        // Refused before any work: an extension the writer cannot honour must not get bytes of another format.
        _overlay.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && ImageWriter.FormatOf(path) is null)
                result.AddError($"--overlay {path}: unknown image extension (use {ImageWriter.SupportedExtensions})");
        });
        command.Add(_json);
        _engine = new EngineSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("detect", "Detect faces: box, score and 5 landmarks per face (no face is not an error)");
        _ = new DetectCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        var options = _engine.Read(parse);
        var image = await EngineLoader.LoadImageAsync(path, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var faces = engine.Detect(image, ct);

        string? overlay = parse.GetValue(_overlay);
        if (overlay is not null)
            ImageWriter.Save(Overlay.DrawFaces(image, faces), overlay);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new DetectReport(path, image.Width, image.Height, faces.Select(FaceJson.From).ToList(), overlay));
            return ExitCodes.Success;
        }
        _output.Out.WriteLine(TextFormat.Invariant($"{path}: {TextFormat.Count(faces.Count, "face", "faces")} ({image.Width}x{image.Height})"));
        for (int i = 0; i < faces.Count; i++)
            TextFormat.WriteFace(_output.Out, i, faces[i]);
        if (overlay is not null)
            _output.Out.WriteLine($"overlay: {overlay}");
        return ExitCodes.Success;
    }
}
