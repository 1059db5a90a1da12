using System.CommandLine;
using System.Globalization;
using Faceprint.Cli.Infrastructure;
using Faceprint.Engine;
using Faceprint.Liveness;

namespace Faceprint.Cli.Options;

/// <summary>
/// The anti-spoofing options of a command that uses one face per photo (compare, gallery enroll): --liveness reports
/// each subject face's score, --require-live also refuses a face judged not live, --liveness-threshold moves the cut.
/// </summary>
internal sealed class LivenessSettings
{
    private readonly Option<bool> _report = new("--liveness")
    {
        Description = "Also score each subject face with the anti-spoofing network (lower is more likely live) and report it",
    };

    private readonly Option<bool> _require = new("--require-live")
    {
        Description = "Refuse (exit 2) when a subject face is judged a spoof or too blurry to judge; implies --liveness",
    };

    private readonly Option<float?> _threshold = Threshold("--liveness-threshold");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public LivenessSettings(Command command)
    {
        command.Add(_report);
        command.Add(_require);
        command.Add(_threshold);
    }

    /// <summary>An anti-spoofing threshold option: a finite non-negative score (the package's is 0.2).</summary>
    public static Option<float?> Threshold(string name)
    {
        var option = new Option<float?>(name)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Liveness score below which a face counts as live (default {AntiSpoofingModel.Threshold}, the model package's)"),
            HelpName = "X",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<float?>() is { } x && !(x >= 0 && float.IsFinite(x)))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a finite score of at least 0, got {x}"));
        });
        return option;
    }

    /// <summary>True when the subject faces are to be scored.</summary>
    public bool Wanted(ParseResult parse) => parse.GetValue(_report) || parse.GetValue(_require);

    /// <summary><paramref name="options"/> with the anti-spoofing network loaded when wanted.</summary>
    public FaceEngineOptions Apply(ParseResult parse, FaceEngineOptions options) =>
        Wanted(parse) ? options with { Liveness = true, LivenessThreshold = parse.GetValue(_threshold) } : options;

    /// <summary>Scores each (image, face) pair when wanted (else nulls) and, with --require-live, refuses the first face not judged live.</summary>
    public IReadOnlyList<LivenessResult?> Score(ParseResult parse, FaceEngine engine, IReadOnlyList<(string Path, Imaging.RgbImage Image, Detection.DetectedFace Face)> subjects)
    {
        if (!Wanted(parse)) return subjects.Select(_ => (LivenessResult?)null).ToList();
        var results = subjects.Select(s => engine.ScoreLiveness(s.Image, [s.Face])[0]).ToList();
        if (parse.GetValue(_require))
            for (int i = 0; i < results.Count; i++)
                if (!results[i].IsLive)
                    throw new CliException(string.Create(CultureInfo.InvariantCulture,
                        $"{subjects[i].Path}: the face was judged {Output.LivenessJson.Spell(results[i].Verdict)} (liveness score {results[i].Score:F3}, threshold {results[i].Threshold:F3}, sharpness {results[i].Sharpness}); refused (--require-live)"),
                        ExitCodes.BadInput);
        return results;
    }
}
