using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Liveness;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint liveness IMG</c>: the anti-spoofing score and verdict of every detected face.</summary>
internal sealed class LivenessCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Image file (JPEG, PNG, WebP, BMP, GIF)" };
    private readonly Option<float?> _threshold = LivenessSettings.Threshold("--threshold");
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private LivenessCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        command.Add(_threshold);
        command.Add(_json);
        _engine = new EngineSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("liveness",
            "Score every face with the model package's anti-spoofing network: lower is more likely live; a face is live below the threshold "
            + "and sharp enough to judge (no face is not an error)");
        _ = new LivenessCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        var options = _engine.Read(parse) with { Liveness = true, LivenessThreshold = parse.GetValue(_threshold) };
        var image = await EngineLoader.LoadImageAsync(path, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var faces = engine.Detect(image, ct);
        var results = engine.ScoreLiveness(image, faces);
        float threshold = options.LivenessThreshold ?? AntiSpoofingModel.Threshold;

        if (parse.GetValue(_json))
        {
            var rows = faces.Select((f, i) => new LivenessFaceJson(FaceJson.From(f), LivenessJson.From(results[i]))).ToList();
            JsonOutput.Write(_output.Out, new LivenessReport(path, image.Width, image.Height, AntiSpoofingModel.FileName, threshold, rows));
            return ExitCodes.Success;
        }
        _output.Out.WriteLine(TextFormat.Invariant($"{path}: {TextFormat.Count(faces.Count, "face", "faces")} ({image.Width}x{image.Height})"));
        for (int i = 0; i < faces.Count; i++)
            _output.Out.WriteLine(TextFormat.Invariant($"face {i}: box {TextFormat.Box(faces[i].Box)}: {LivenessJson.Text(results[i])}"));
        return ExitCodes.Success;
    }
}
