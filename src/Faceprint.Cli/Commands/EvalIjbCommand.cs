using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Evaluation;
using Faceprint.Evaluation.Ijb;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint eval ijb --root DIR --target IJBB|IJBC</c>: IJB-B / IJB-C 1:1 template verification in the layout and
/// protocol of InsightFace's evaluation (given landmarks, flip test, media then template averaging, TAR at FAR).
/// </summary>
internal sealed class EvalIjbCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _root = new("--root") { Description = "IJB release folder holding loose_crop/ and meta/", HelpName = "DIR", Required = true };
    private readonly Option<IjbTarget> _target = new("--target") { Description = "Which benchmark: IJBB or IJBC (names the meta files)", Required = true };
    private readonly Option<string?> _plots = new("--plots") { Description = "Write roc.png and scores.png into this folder", HelpName = "DIR" };
    private readonly Option<string?> _cache = new("--cache")
    {
        Description = "Embedding cache file to resume from and append to (default: one per model, target and root under the model cache's eval-cache/)",
        HelpName = "FILE",
    };
    private readonly Option<bool> _noCache = new("--no-cache") { Description = "Neither read nor write an embedding cache" };
    private readonly Option<int> _batch = new("--batch") { Description = "Images per network call (each with its mirror image)", HelpName = "N", DefaultValueFactory = _ => 32 };
    private readonly Option<bool> _noFlip = new("--no-flip") { Description = "Use the crop's output alone, without adding its mirror image's" };
    private readonly Option<bool> _normalizeImages = new("--normalize-images") { Description = "L2-normalise each image feature before averaging (drops the norm as a quality weight)" };
    private readonly Option<bool> _noDetectorScore = new("--no-detector-score") { Description = "Do not weight image features by their detector score" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private EvalIjbCommand(Command command, CliOutput output)
    {
        _output = output;
        _batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1024) r.AddError("--batch must be between 1 and 1024");
        });
        foreach (var option in new Option[] { _root, _target, _plots, _cache, _noCache, _batch, _noFlip, _normalizeImages, _noDetectorScore, _json })
            command.Add(option);
        _engine = new EngineSettings(command, embedderModel: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("ijb", "IJB-B / IJB-C 1:1 template verification (InsightFace layout and protocol): TAR at FAR 1e-6 … 1e-1; --threads workers embed in batches");
        _ = new EvalIjbCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var layout = new IjbLayout(parse.GetRequiredValue(_root), parse.GetValue(_target));
        string? plots = parse.GetValue(_plots);
        bool json = parse.GetValue(_json);
        var features = new IjbFeatureOptions
        {
            Flip = !parse.GetValue(_noFlip),
            NormScore = !parse.GetValue(_normalizeImages),
            DetectorScore = !parse.GetValue(_noDetectorScore),
        };
        var protocol = await LoadProtocolAsync(layout, ct);

        // Parallel across batches, one thread per network call, as eval pairs does for its images.
        int parallelism = _engine.Threads(parse);
        var options = _engine.Read(parse) with { Threads = 1 };
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        string? cachePath = parse.GetValue(_noCache) ? null
            : parse.GetValue(_cache) ?? DefaultCachePath(HomeResolver.Resolve(options.Home).Root, layout, engine.EmbedderId);

        using var run = OpenRun(layout, protocol, features, engine.EmbedderId, engine.EmbeddingSize, cachePath);
        if (run.Cache is { DroppedBytes: > 0 } cache)
            _output.Log.Report($"dropped a torn last record ({cache.DroppedBytes} bytes) from {cache.Path}");
        var progress = ProgressDisplays.For(_output, json);
        if (run.PendingCount > 0)
            await progress.RunAsync("embedding images", run.PendingCount,
                advance => run.EmbedPendingAsync(engine, parallelism, parse.GetValue(_batch), advance, ct));
        var result = run.Score();

        var report = new IjbReport(
            engine.EmbedderId, layout.Target.ToString(), layout.Root, result.Images, result.CachedImages, result.Templates,
            result.Pairs.Count, result.Roc.Positives, result.Roc.Negatives, features.Flip, features.NormScore, features.DetectorScore,
            cachePath, result.Roc.Auc, result.Roc.EqualErrorRate,
            result.TarAtFar.Select(t => new TarAtFarJson(t.Far, t.Point.TruePositiveRate, t.Point.Threshold)).ToList(),
            plots is null ? null : WritePlots(plots, result, engine.EmbedderId));
        if (json) JsonOutput.Write(_output.Out, report);
        else IjbReportText.Write(_output.Out, report);
        return ExitCodes.Success;
    }

    private static async Task<IjbProtocol> LoadProtocolAsync(IjbLayout layout, CancellationToken ct)
    {
        if (!Directory.Exists(layout.Root))
            throw new CliException($"IJB root folder not found: {layout.Root}", ExitCodes.BadInput);
        try
        {
            return await IjbMetaReader.LoadAsync(layout, ct);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e); // missing or malformed meta files are bad input
        }
    }

    private static IjbEvaluation OpenRun(IjbLayout layout, IjbProtocol protocol, IjbFeatureOptions features, string model, int dimension, string? cachePath)
    {
        try
        {
            return IjbEvaluation.Open(layout, protocol, features, model, dimension, cachePath);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e); // a cache of another model, or one in use
        }
    }

    /// <summary>One cache file per model, target and root folder, so runs on different data or models never mix.</summary>
    private static string DefaultCachePath(string home, IjbLayout layout, string model)
    {
        string safeModel = string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '@' ? c : '_'));
        string root = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(layout.Root))))[..12];
        return Path.Combine(home, "eval-cache", $"{layout.Prefix}-{safeModel}-{root}.emb");
    }

    private static PlotsJson WritePlots(string folder, IjbResult result, string label)
    {
        Directory.CreateDirectory(folder);
        string rocPath = Path.Combine(folder, "roc.png"), histogramPath = Path.Combine(folder, "scores.png");
        EvaluationPlots.WriteRoc(rocPath, result.Roc, label);
        EvaluationPlots.WriteScoreHistogram(histogramPath, result.Pairs, double.NaN);
        return new PlotsJson(rocPath, histogramPath);
    }
}
