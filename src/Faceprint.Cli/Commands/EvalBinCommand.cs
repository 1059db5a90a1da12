using System.CommandLine;
using Faceprint.Alignment;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Engine;
using Faceprint.Evaluation;
using Faceprint.Imaging;
using Faceprint.Recognition;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint eval bin FILE.bin</c>: verification accuracy on one of InsightFace's pre-aligned validation packs
/// (<c>lfw.bin</c>, <c>cfp_fp.bin</c>, <c>agedb_30.bin</c>), the data the papers report on: no detection, the
/// 112×112 crops go straight to the embedder; 10 folds of consecutive pairs, as InsightFace's verification does.
/// </summary>
internal sealed class EvalBinCommand
{
    private const int Folds = 10, BatchSize = 32;

    private readonly CliOutput _output;
    private readonly Argument<string> _file = new("FILE") { Description = "InsightFace validation pack (.bin: pickled encoded 112x112 images and issame flags)" };
    private readonly Option<string?> _plots = new("--plots") { Description = "Write roc.png and scores.png into this folder", HelpName = "DIR" };
    private readonly Option<string?> _errors = ErrorAnalysis.Option();
    private readonly Option<string?> _scores = ErrorAnalysis.ScoresOption();
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private EvalBinCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_file);
        command.Add(_plots);
        command.Add(_errors);
        command.Add(_scores);
        command.Add(_json);
        _engine = new EngineSettings(command, "Fixed threshold to also report accuracy at (default: the model's)", embedderModel: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("bin", "Verification accuracy on an InsightFace validation pack (lfw.bin, cfp_fp.bin, agedb_30.bin), 10-fold");
        _ = new EvalBinCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string file = parse.GetRequiredValue(_file);
        bool json = parse.GetValue(_json);
        var (encoded, same) = LoadPack(file);

        int parallelism = _engine.Threads(parse);
        var options = _engine.Read(parse) with { Threads = 1 };
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var progress = ProgressDisplays.For(_output, json);
        var embeddings = new float[encoded.Count][];
        var failures = new string?[encoded.Count];
        int batches = (encoded.Count + BatchSize - 1) / BatchSize;
        await progress.RunAsync("embedding aligned faces", encoded.Count, advance =>
            Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, (batch, _) =>
            {
                int start = batch * BatchSize, count = Math.Min(BatchSize, encoded.Count - start);
                var faces = new List<RgbImage>(count);
                var indices = new List<int>(count);
                for (int i = start; i < start + count; i++)
                {
                    if (Decode(encoded[i], file, i, out failures[i]) is { } face)
                    {
                        faces.Add(face);
                        indices.Add(i);
                    }
                    advance();
                }
                var vectors = engine.EmbedAligned(faces);
                for (int j = 0; j < indices.Count; j++) embeddings[indices[j]] = vectors[j];
                return ValueTask.CompletedTask;
            }));

        var scored = same.Select((s, i) => new ScoredPair(
            embeddings[2 * i] is { } a && embeddings[2 * i + 1] is { } b ? Embedding.Cosine(a, b) : null, s, i * Folds / same.Count)).ToList();
        var outcomes = Enumerable.Range(0, encoded.Count).ToDictionary(
            i => TextFormat.Invariant($"{file}#{i}"),
            i => failures[i] is { } reason ? ImageOutcome.Failed(reason) : ImageOutcome.Embedded(new EmbeddedFace(AlignedFace, embeddings[i])));
        var report = VerificationReport.Build(engine, file, file, same.Count, scored, outcomes, MissingScorePolicy.CountAsDifferent, parse.GetValue(_plots));
        if (parse.GetValue(_errors) is { } errors)
        {
            var images = Enumerable.Range(0, encoded.Count).Select(i => Decode(encoded[i], file, i, out _)).ToList();
            report = report with { Errors = await ErrorAnalysis.WriteAlignedAsync(errors, images, scored, report.ErrorThreshold, ct) };
        }

        if (parse.GetValue(_scores) is { } scoresFile)
            await ErrorAnalysis.WriteScoresAsync(scoresFile, scored, ct);
        if (json) JsonOutput.Write(_output.Out, report);
        else EvalReportText.Write(_output.Out, report);
        return ExitCodes.Success;
    }

    /// <summary>An aligned crop has no detection: the whole crop stands for the face.</summary>
    private static readonly Faceprint.Detection.DetectedFace AlignedFace = new(new(0, 0, FaceAligner.Size, FaceAligner.Size), 1f, FaceAligner.Template);

    private static (IReadOnlyList<byte[]> Images, IReadOnlyList<bool> Same) LoadPack(string file)
    {
        try
        {
            return ValidationBinFile.Load(file);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
    }

    /// <summary>Decodes image <paramref name="index"/>, resized to 112×112 if a pack was made at another size; null (and why) if it cannot be.</summary>
    private static RgbImage? Decode(byte[] data, string file, int index, out string? failure)
    {
        failure = null;
        try
        {
            var image = ImageLoader.Decode(data, sourceName: TextFormat.Invariant($"{file}#{index}"));
            return image.Width == FaceAligner.Size && image.Height == FaceAligner.Size ? image : ImageOps.Resize(image, FaceAligner.Size, FaceAligner.Size);
        }
        catch (ImageLoadException e)
        {
            failure = e.Message;
            return null;
        }
    }
}
