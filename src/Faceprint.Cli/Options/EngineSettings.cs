using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Detection;
using Faceprint.Engine;

namespace Faceprint.Cli.Options;

/// <summary>The engine options of a command (--threads, --min-face, --home, --detector-precision and, where relevant, --threshold, --model and --precision) and how they map to <see cref="FaceEngineOptions"/>.</summary>
internal sealed class EngineSettings
{
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<int> _minFace = CommonOptions.MinFace();
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<string> _detectorPrecision = RecognitionOptions.DetectorPrecision();
    private readonly Option<float?>? _threshold;
    private readonly Option<double?>? _far;
    private readonly Option<string?>? _model;
    private readonly Option<string>? _face;
    private readonly Option<bool>? _flip;
    private readonly Option<string>? _precision;

    /// <summary>
    /// Adds the options to <paramref name="command"/>; <paramref name="thresholdDescription"/> null leaves --threshold
    /// (and --far) out, <paramref name="embedderModel"/> adds --model (an embedding model file of the user's own),
    /// --flip and --precision, <paramref name="faceChoice"/> adds --face for commands that take one face per photo.
    /// </summary>
    /// <remarks><paramref name="precision"/> adds --precision alone (for commands without --model, such as serve).</remarks>
    public EngineSettings(Command command, string? thresholdDescription = null, bool embedderModel = false, bool faceChoice = false, bool precision = false)
    {
        command.Add(_threads);
        command.Add(_minFace);
        command.Add(_home);
        command.Add(_detectorPrecision);
        if (embedderModel)
        {
            _model = CommonOptions.Model();
            command.Add(_model);
            _flip = RecognitionOptions.Flip();
            command.Add(_flip);
        }
        if (embedderModel || precision)
        {
            _precision = RecognitionOptions.Precision();
            command.Add(_precision);
        }
        if (faceChoice)
        {
            _face = RecognitionOptions.Face();
            command.Add(_face);
        }
        if (thresholdDescription is not null)
        {
            _threshold = CommonOptions.Threshold(thresholdDescription);
            command.Add(_threshold);
            _far = RecognitionOptions.Far();
            command.Add(_far);
        }
    }

    /// <summary>Value of --threads.</summary>
    public int Threads(ParseResult result) => result.GetValue(_threads);

    /// <summary>The engine options the command line asks for.</summary>
    public FaceEngineOptions Read(ParseResult result)
    {
        string? model = _model is null ? null : result.GetValue(_model);
        var precision = _precision is not null && result.GetValue(_precision) == "int8" ? EmbedderPrecision.Int8 : EmbedderPrecision.Fp32;
        return new()
        {
            Home = result.GetValue(_home),
            Threads = result.GetValue(_threads),
            Detection = new MtcnnOptions { MinFaceSize = result.GetValue(_minFace) },
            Threshold = ReadThreshold(result, model, precision),
            EmbedderModel = model,
            FaceChoice = _face is null ? FaceChoice.Prominent : ParseFace(result.GetRequiredValue(_face)),
            FlipAverage = _flip is not null && result.GetValue(_flip),
            Precision = precision,
            Int8Detection = result.GetValue(_detectorPrecision) == "int8",
        };
    }

    /// <summary>The choice a <c>--face</c> value names (the option accepts only the two spellings).</summary>
    private static FaceChoice ParseFace(string value) => FaceChoiceNames.TryParse(value, out var choice) ? choice : FaceChoice.Prominent;

    /// <summary>--threshold as given, or the default model's threshold for --far.</summary>
    private float? ReadThreshold(ParseResult result, string? model, EmbedderPrecision precision)
    {
        float? threshold = _threshold is null ? null : result.GetValue(_threshold);
        if (_far is null || result.GetValue(_far) is not { } far) return threshold;
        if (threshold is not null)
            throw new CliException("give either --threshold or --far, not both", ExitCodes.BadInput);
        if (model is not null)
            throw new CliException("--far needs the default model's calibration; a model of your own has none (use --threshold)", ExitCodes.BadInput);
        try
        {
            return DefaultModels.CalibrationFor(precision).ThresholdAtFar(far);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
    }
}
