using System.CommandLine;
using Faceprint.Detection;
using Faceprint.Engine;

namespace Faceprint.Cli.Options;

/// <summary>The engine options of a command (--threads, --min-face, --home and, where relevant, --threshold and --model) and how they map to <see cref="FaceEngineOptions"/>.</summary>
internal sealed class EngineSettings
{
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<int> _minFace = CommonOptions.MinFace();
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<float?>? _threshold;
    private readonly Option<string?>? _model;

    /// <summary>
    /// Adds the options to <paramref name="command"/>; <paramref name="thresholdDescription"/> null leaves --threshold out,
    /// <paramref name="embedderModel"/> adds --model (an embedding model file of the user's own).
    /// </summary>
    public EngineSettings(Command command, string? thresholdDescription = null, bool embedderModel = false)
    {
        command.Add(_threads);
        command.Add(_minFace);
        command.Add(_home);
        if (embedderModel)
        {
            _model = CommonOptions.Model();
            command.Add(_model);
        }
        if (thresholdDescription is not null)
        {
            _threshold = CommonOptions.Threshold(thresholdDescription);
            command.Add(_threshold);
        }
    }

    /// <summary>Value of --threads.</summary>
    public int Threads(ParseResult result) => result.GetValue(_threads);

    /// <summary>The engine options the command line asks for.</summary>
    public FaceEngineOptions Read(ParseResult result) => new()
    {
        Home = result.GetValue(_home),
        Threads = result.GetValue(_threads),
        Detection = new MtcnnOptions { MinFaceSize = result.GetValue(_minFace) },
        Threshold = _threshold is null ? null : result.GetValue(_threshold),
        EmbedderModel = _model is null ? null : result.GetValue(_model),
    };
}
