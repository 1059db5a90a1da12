using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint eval detect --root DIR [--tight-crops]</c>: how often the detector finds a face in a folder of photos
/// that should each show one, and with <c>--tight-crops</c> also in each photo cropped tightly around its subject
/// (the subject's box enlarged by 10 %, as ID photos and cropped data sets are), the case a detector needing context
/// around the face misses.
/// </summary>
internal sealed class EvalDetectCommand
{
    /// <summary>How much a tight crop adds around the subject's box, as a fraction of its size.</summary>
    public const float CropMargin = 0.10f;

    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    private readonly CliOutput _output;
    private readonly Option<string> _root = new("--root") { Description = "Folder of photos (searched recursively), each expected to show a face", HelpName = "DIR", Required = true };
    private readonly Option<bool> _tight = new("--tight-crops") { Description = "Also detect on each photo cropped to its subject's box enlarged by 10 %" };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private EvalDetectCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_root);
        command.Add(_tight);
        command.Add(_json);
        _engine = new EngineSettings(command, faceChoice: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("detect", "How often a face is found in a folder of photos (and in tight crops of them); --threads photos run in parallel");
        _ = new EvalDetectCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string root = parse.GetRequiredValue(_root);
        if (!Directory.Exists(root)) throw new CliException($"folder not found: {root}", ExitCodes.BadInput);
        bool tight = parse.GetValue(_tight), json = parse.GetValue(_json);
        var photos = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
        if (photos.Count == 0) throw new CliException($"no photos under {root}", ExitCodes.BadInput);

        int parallelism = _engine.Threads(parse);
        var options = _engine.Read(parse) with { Threads = 1 };
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var progress = ProgressDisplays.For(_output, json);
        var photoStats = new DetectionTally();
        var cropStats = new DetectionTally();
        var failed = new ConcurrentBag<FailedImageJson>();
        await progress.RunAsync("detecting", photos.Count, advance =>
            Parallel.ForEachAsync(photos, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (path, token) =>
            {
                try
                {
                    var image = await engine.LoadImageAsync(path, token).ConfigureAwait(false);
                    var faces = photoStats.Detect(engine, image, path, token);
                    if (tight && faces.Count > 0)
                        cropStats.Detect(engine, TightCrop(image, faces[SubjectSelection.IndexOf(faces, image.Width, image.Height, engine.FaceChoice)].Box), path, token);
                }
                catch (ImageLoadException e)
                {
                    failed.Add(new FailedImageJson(path, e.Message));
                }
                advance();
            }));

        var report = new EvalDetectReport(root, photos.Count, failed.Count, photoStats.ToJson(), tight ? cropStats.ToJson() : null,
            failed.OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
        if (json) JsonOutput.Write(_output.Out, report);
        else EvalDetectReportText.Write(_output.Out, report);
        return ExitCodes.Success;
    }

    /// <summary>The photo cropped to <paramref name="box"/> enlarged by <paramref name="margin"/> of its size, clamped to the photo.</summary>
    public static RgbImage TightCrop(RgbImage image, BoundingBox box, float margin = CropMargin)
    {
        float padX = box.Width * margin / 2, padY = box.Height * margin / 2;
        int x1 = Math.Clamp((int)MathF.Floor(box.X1 - padX), 0, image.Width - 1), y1 = Math.Clamp((int)MathF.Floor(box.Y1 - padY), 0, image.Height - 1);
        int x2 = Math.Clamp((int)MathF.Ceiling(box.X2 + padX), x1 + 1, image.Width), y2 = Math.Clamp((int)MathF.Ceiling(box.Y2 + padY), y1 + 1, image.Height);
        return ImageOps.Crop(image, x1, y1, x2 - x1, y2 - y1);
    }

    /// <summary>Counts over one set of images, safe to update from several threads.</summary>
    private sealed class DetectionTally
    {
        private int _images, _withFace, _withBorder;
        private long _ticks;
        private readonly ConcurrentBag<string> _missed = [];

        public IReadOnlyList<DetectedFace> Detect(FaceEngine engine, RgbImage image, string path, CancellationToken ct)
        {
            long start = Stopwatch.GetTimestamp();
            var faces = engine.Detect(image, ct);
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _images);
            if (faces.Count == 0) _missed.Add(path);
            else Interlocked.Increment(ref _withFace);
            if (faces.Count > 0 && faces[0].FoundWithBorder) Interlocked.Increment(ref _withBorder);
            return faces;
        }

        public DetectionStatsJson ToJson() => new(
            _images, _images - _withFace, _images == 0 ? 0 : (double)(_images - _withFace) / _images, _withBorder,
            _images == 0 ? 0 : Stopwatch.GetElapsedTime(0, _ticks).TotalMilliseconds / _images,
            _missed.Order(StringComparer.Ordinal).ToList());
    }
}
