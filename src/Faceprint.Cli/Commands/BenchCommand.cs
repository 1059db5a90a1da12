using System.CommandLine;
using System.Diagnostics;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Engine;
using Faceprint.Imaging;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint bench IMG</c>: wall-clock latency of the pipeline stages on this machine (detection on the
/// photo scaled to 640×480, embedding at batch 1 and 32), after warm-up, median and p90 over many runs.
/// </summary>
internal sealed class BenchCommand
{
    private const int WarmUp = 3;
    private readonly CliOutput _output;
    private readonly Argument<string> _image = new("IMG") { Description = "Photo with one face; it is scaled to 640x480" };
    private readonly Option<int> _runs = new("--runs") { Description = "Timed runs per stage", DefaultValueFactory = _ => 20 };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private BenchCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        command.Add(_runs);
        command.Add(_json);
        _engine = new EngineSettings(command);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("bench", "Time detection (640x480) and embedding (batch 1 and 32) on this machine");
        _ = new BenchCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetRequiredValue(_image);
        int runs = Math.Max(1, parse.GetValue(_runs));
        var options = _engine.Read(parse);
        var photo = await EngineLoader.LoadImageAsync(path, options, ct);
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var image = ImageOps.Resize(photo, 640, 480);
        var faces = engine.Detect(image, ct);
        if (faces.Count == 0) throw new NoFaceException($"no face found in {path} at 640x480");
        var face = FaceEngine.MostProminent(faces);
        var batch = Enumerable.Repeat(face, 32).ToList();

        var stages = new List<BenchStage>
        {
            Time("detect 640x480", 1, runs, () => engine.Detect(image, ct), null),
            Time("embed", 1, runs * 2, () => engine.Embed(image, [face]), engine.EmbedderMacsPerFace),
            Time("embed", 32, Math.Max(3, runs / 4), () => engine.Embed(image, batch), engine.EmbedderMacsPerFace),
        };
        var report = new BenchReport(path, image.Width, image.Height, options.Threads, engine.EmbedderId, stages);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, report);
            return ExitCodes.Success;
        }
        _output.Out.WriteLine(TextFormat.Invariant($"{engine.EmbedderId}, {options.Threads} thread(s)"));
        foreach (var s in stages)
            _output.Out.WriteLine(TextFormat.Invariant(
                $"{s.Stage,-16} batch {s.Batch,2}: median {s.MedianMs,8:F2} ms, p90 {s.P90Ms,8:F2} ms per item{(s.Gflops is { } g ? $", {g:F1} GFLOP/s" : "")}"));
        return ExitCodes.Success;
    }

    private static BenchStage Time(string stage, int batch, int runs, Action action, long? macsPerItem)
    {
        for (int i = 0; i < WarmUp; i++) action();
        var perItem = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            perItem[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / batch;
        }
        Array.Sort(perItem);
        double median = perItem[runs / 2], p90 = perItem[Math.Min(runs - 1, (int)(runs * 0.9))];
        double? gflops = macsPerItem is { } m ? 2.0 * m / (median * 1e6) : null;
        return new BenchStage(stage, batch, runs, median, p90, macsPerItem, gflops);
    }
}
