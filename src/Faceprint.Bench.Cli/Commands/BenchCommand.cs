using System.CommandLine;
using Faceprint.Cli.Commands;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Export.Onnx;
using Faceprint.Imaging;
using Faceprint.OnnxRuntime;

namespace Faceprint.Bench.Cli.Commands;

/// <summary>
/// <c>faceprint bench [IMG]</c>: for the default embedding model (or those of <c>--models</c>, or every one with
/// <c>--all</c>), the engine and ONNX Runtime in one process on the same weights, input and thread count, interleaved
/// after warm-up; median and p90 ms per face, their ratio, achieved GFLOP/s against the measured peak. With a photo of
/// one face, also the detector and the full pipeline at 640×480. Progress goes to stderr as it runs.
/// </summary>
internal sealed class BenchCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string?> _image = new("IMG") { Description = "Photo with one face, scaled to 640x480 to time detection (optional)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string[]> _models = new("--models")
    {
        Description = $"Models to time ({string.Join(", ", BenchModels.All.Select(m => m.Name))}; default {string.Join(", ", BenchModels.Defaults.Select(m => m.Name))})",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _all = new("--all")
    {
        Description = "Time every model (the full sweep takes many minutes) instead of the default one",
    };
    private readonly Option<int[]> _threads = new("--threads")
    {
        Description = "Thread counts to time (default: 1 and all cores)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [.. new[] { 1, Environment.ProcessorCount }.Distinct()],
    };
    private readonly Option<int[]> _batches = new("--batches")
    {
        Description = "Batch sizes to time",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [1, 32],
    };
    private readonly Option<int> _runs = new("--runs") { Description = "Timed runs at batch 1 (and for detection)", DefaultValueFactory = _ => 50 };
    private readonly Option<int> _batchRuns = new("--batch-runs") { Description = "Timed runs at larger batches", DefaultValueFactory = _ => 10 };
    private readonly Option<bool> _int8 = new("--int8")
    {
        Description = "Also time each model's int8 form: against its fp32 form (int8/fp32) and ORT on the same quantized network as QDQ ONNX; with IMG, detection and the pipeline with int8 MTCNN and embedder too; with --profile, profile the int8 form instead of the fp32 one",
    };
    private readonly Option<bool> _gallery = new("--gallery")
    {
        Description = "Time gallery identify instead: in-memory exact scan and pgvector HNSW (recall@1 vs exact) on random galleries; model rows then run only with --models",
    };
    private readonly Option<int[]> _gallerySizes = new("--gallery-sizes")
    {
        Description = "Gallery sizes in templates (with --gallery)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [10_000, 100_000, 1_000_000],
    };
    private readonly Option<int[]> _galleryDims = new("--gallery-dims")
    {
        Description = "Embedding lengths (with --gallery)",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [192, 512],
    };
    private readonly Option<int> _galleryProbes = new("--gallery-probes") { Description = "Timed searches per store and size (with --gallery)", DefaultValueFactory = _ => 100 };
    private readonly Option<int> _galleryThreads = new("--gallery-threads") { Description = "Threads per in-memory search (with --gallery)", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _galleryPgMax = new("--gallery-pg-max")
    {
        Description = "Largest gallery also loaded into pgvector (with --gallery; 0: none; building HNSW over a million rows takes long)",
        DefaultValueFactory = _ => 100_000,
    };
    private readonly Option<bool> _profile = new("--profile")
    {
        Description = "Instead of timing against ONNX Runtime, print where each model's forward pass spends its time per layer type (ms, share, GFLOP/s), over --runs runs",
    };
    private readonly Option<int> _minFace = CommonOptions.MinFace();
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();

    private BenchCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_image);
        foreach (var option in new Option[] { _models, _all, _int8, _threads, _batches, _runs, _batchRuns, _gallery, _gallerySizes, _galleryDims, _galleryProbes, _galleryThreads, _galleryPgMax, _profile, _minFace, _home, _json })
            command.Add(option);
        foreach (var option in new[] { _threads, _batches, _gallerySizes, _galleryDims })
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int[]>().Any(n => n < 1)) result.AddError($"{result.Option.Name} values must be at least 1");
            });
        _galleryPgMax.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0) result.AddError($"{result.Option.Name} must be at least 0");
        });
        foreach (var option in new[] { _runs, _batchRuns, _galleryProbes, _galleryThreads })
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1) result.AddError($"{result.Option.Name} must be at least 1");
            });
        command.Validators.Add(result =>
        {
            if (result.GetResult(_models) is not null && result.GetResult(_all) is { Implicit: false })
                result.AddError("--all and --models both choose the models; pass one");
            if (result.GetValue(_profile) && (result.GetValue(_gallery) || result.GetResult(_image) is not null))
                result.AddError("--profile times model layers only; drop --gallery and IMG");
        });
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command(HandedOverCommands.Bench, HandedOverCommands.BenchDescription);
        _ = new BenchCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        bool gallery = parse.GetValue(_gallery);
        IReadOnlyList<BenchModel> models;
        try
        {
            var names = parse.GetValue(_models)?.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() ?? [];
            models = parse.GetValue(_all) ? BenchModels.All
                : names.Count > 0 ? BenchModels.Select(names)
                : gallery ? []
                : BenchModels.Defaults;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        int[] threads = [.. parse.GetRequiredValue(_threads).Distinct()];
        int[] batches = [.. parse.GetRequiredValue(_batches).Distinct()];
        int runs = parse.GetValue(_runs), batchRuns = parse.GetValue(_batchRuns);
        bool json = parse.GetValue(_json);
        var engineOptions = new FaceEngineOptions
        {
            Home = parse.GetValue(_home),
            Detection = new MtcnnOptions { MinFaceSize = parse.GetValue(_minFace) },
        };
        string? imagePath = parse.GetValue(_image);
        RgbImage? photo = imagePath is null ? null : await EngineLoader.LoadImageAsync(imagePath, engineOptions, ct);
        FaceModelPaths? paths = photo is not null || models.Any(m => m.NeedsDefaultModels) ? await EnsureDefaultModelsAsync(engineOptions, ct) : null;

        if (parse.GetValue(_profile))
        {
            var profiles = new List<ModelProfile>();
            foreach (var model in models)
            {
                var network = model.Build(paths);
                bool int8Profile = parse.GetValue(_int8);
                if (int8Profile) network = Int8BenchRows.Quantize(network, model.InputSize);
                foreach (int t in threads)
                    foreach (int batch in batches)
                        profiles.Add(ModelProfile.Record(model, network, t, batch, batch == 1 ? runs : batchRuns, int8Profile));
            }
            if (json) JsonOutput.Write(_output.Out, profiles);
            else ProfileTable.Write(_output, profiles);
            return ExitCodes.Success;
        }

        var machine = BenchMachine.Current;
        var rows = new List<BenchRow>();
        var galleryBench = gallery ? new GalleryBench(ReadGallerySettings(parse), message => _output.Log.Report(message)) : null;
        var galleryRows = new List<GalleryBenchRow>();
        bool int8 = parse.GetValue(_int8);
        int cells = models.Count * threads.Length * batches.Length * (int8 ? 2 : 1) + (photo is null ? 0 : threads.Length)
            + (galleryBench is null ? 0 : 2 * parse.GetRequiredValue(_gallerySizes).Length * parse.GetRequiredValue(_galleryDims).Length);
        var progress = ProgressDisplays.For(_output, json);
        await progress.RunAsync("benchmarking", cells, async tick =>
        {
            foreach (var model in models)
                rows.AddRange(TimeModel(model, paths, threads, batches, runs, batchRuns, int8, machine, tick, ct));
            if (photo is not null)
                foreach (int t in threads)
                {
                    rows.AddRange(TimeDetection(paths!, photo, imagePath!, engineOptions with { Threads = t }, runs, int8, ct));
                    tick();
                }
            if (galleryBench is not null)
                galleryRows.AddRange(await galleryBench.RunAsync(tick, ct));
        });

        if (galleryBench is not null)
        {
            if (json)
            {
                JsonOutput.Write(_output.Out, new BenchGalleryReport(rows, galleryRows, galleryBench.PgvectorSkipped));
                return ExitCodes.Success;
            }

            if (rows.Count > 0) BenchTable.Write(_output, rows, machine);
            GalleryBenchTable.Write(_output, galleryRows, galleryBench.PgvectorSkipped);
            return ExitCodes.Success;
        }

        if (json) JsonOutput.Write(_output.Out, rows);
        else BenchTable.Write(_output, rows, machine);
        return ExitCodes.Success;
    }

    private GalleryBenchSettings ReadGallerySettings(ParseResult parse) => new(
        [.. parse.GetRequiredValue(_gallerySizes).Distinct()], [.. parse.GetRequiredValue(_galleryDims).Distinct()],
        parse.GetValue(_galleryProbes), parse.GetValue(_galleryThreads), parse.GetValue(_galleryPgMax));

    private static IEnumerable<BenchRow> TimeModel(BenchModel model, FaceModelPaths? paths, int[] threads, int[] batches, int runs, int batchRuns,
        bool int8, BenchMachine machine, Action tick, CancellationToken ct)
    {
        var network = model.Build(paths);
        int side = model.InputSize;
        long macs = network.CountMacs(new TensorShape(1, side, side, network.InputChannels));
        byte[] onnx = new OnnxExporter().Export(network, side, side);
        var int8Rows = int8 ? new Int8BenchRows(model.Name, network, side, macs) : null;
        var trainForm = model.BuildTrainForm?.Invoke();
        var random = new Random(7);
        var rows = new List<BenchRow>();
        foreach (int t in threads)
        {
            var session = new InferenceSession(network, t);
            var trainSession = trainForm is null ? null : new InferenceSession(trainForm, t);
            using var ort = new OrtModelRunner(onnx, t);
            foreach (int batch in batches)
            {
                ct.ThrowIfCancellationRequested();
                var shape = new TensorShape(batch, side, side, network.InputChannels);
                var input = session.PrepareInput(shape);
                for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
                input.CopyTo(ort.PrepareInput(shape));
                int n = batch == 1 ? runs : batchRuns;
                var (engineRuns, ortRuns) = BenchTimer.Interleaved(session.Run, ort.Run, n);
                var engine = BenchStats.Of(engineRuns.Select(ms => ms / batch).ToList());
                var reference = BenchStats.Of(ortRuns.Select(ms => ms / batch).ToList());
                double gflops = Gflops(macs, engine.Median), ortGflops = Gflops(macs, reference.Median);
                double peak = machine.PeakGflops(t);
                rows.Add(new BenchRow(model.Name, "embed", t, batch, n, engine.Median, engine.P90, reference.Median, reference.P90,
                    engine.Median / reference.Median, macs, gflops, ortGflops, peak, 100 * gflops / peak,
                    MaxAbsDiff(session.Output(0), ort.Output(0)), ReparamTrainRatio: ReparamTrainRatio(session, trainSession, input, shape, n),
                    OrtGoal: model.OrtGoal));
                tick();
                if (int8Rows is not null)
                {
                    rows.Add(int8Rows.Time(session, input, shape, t, n, peak));
                    tick();
                }
            }
        }
        return rows;
    }

    // The two forms interleaved, as engine and ORT are: their ratio holds while the machine's speed drifts between blocks.
    private static double? ReparamTrainRatio(InferenceSession reparameterized, InferenceSession? trainForm, ReadOnlySpan<float> input, TensorShape shape, int runs)
    {
        if (trainForm is null) return null;
        input.CopyTo(trainForm.PrepareInput(shape));
        var (reparamRuns, trainRuns) = BenchTimer.Interleaved(reparameterized.Run, trainForm.Run, runs);
        return BenchStats.Of(reparamRuns).Median / BenchStats.Of(trainRuns).Median;
    }

    /// <summary>
    /// The detector alone and the full pipeline (detect, align, embed) on the photo scaled to 640×480; with
    /// <paramref name="int8"/> also both with int8 detection and the int8 embedder, interleaved with fp32 for the ratio.
    /// </summary>
    private static IEnumerable<BenchRow> TimeDetection(FaceModelPaths paths, RgbImage photo, string imagePath, FaceEngineOptions options, int runs, bool int8,
        CancellationToken ct)
    {
        using var engine = FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold, options);
        var image = ImageOps.Resize(photo, 640, 480);
        if (engine.Detect(image, ct).Count == 0) throw new NoFaceException($"no face found in {imagePath} at 640x480");
        var detect = BenchStats.Of(BenchTimer.Time(() => engine.Detect(image, ct), runs));
        var pipeline = BenchStats.Of(BenchTimer.Time(() => engine.DetectAndEmbed(image, ct), runs));
        return
        [
            new BenchRow("mtcnn", "detect 640x480", options.Threads, 1, runs, detect.Median, detect.P90, null, null, null, null, null, null, null, null, null),
            new BenchRow("mtcnn+mobilefacenet", "pipeline 640x480", options.Threads, 1, runs, pipeline.Median, pipeline.P90, null, null, null, null, null, null, null, null, null),
            .. int8 ? TimeInt8Detection(engine, paths, image, options, runs, ct) : [],
        ];
    }

    private static IEnumerable<BenchRow> TimeInt8Detection(FaceEngine fp32, FaceModelPaths paths, RgbImage image, FaceEngineOptions options, int runs, CancellationToken ct)
    {
        using var engine = FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.ThresholdFor(EmbedderPrecision.Int8),
            options with { Precision = EmbedderPrecision.Int8, Int8Detection = true });
        var (detect32, detect8) = BenchTimer.Interleaved(() => fp32.Detect(image, ct), () => engine.Detect(image, ct), runs);
        var (pipeline32, pipeline8) = BenchTimer.Interleaved(() => fp32.DetectAndEmbed(image, ct), () => engine.DetectAndEmbed(image, ct), runs);
        var (d32, d8, p32, p8) = (BenchStats.Of(detect32), BenchStats.Of(detect8), BenchStats.Of(pipeline32), BenchStats.Of(pipeline8));
        return
        [
            new BenchRow("mtcnn", "detect int8 640x480", options.Threads, 1, runs, d8.Median, d8.P90, null, null, null, null, null, null, null, null, null,
                Int8Fp32Ratio: d8.Median / d32.Median),
            new BenchRow("mtcnn+mobilefacenet", "pipeline int8 640x480", options.Threads, 1, runs, p8.Median, p8.P90, null, null, null, null, null, null, null, null, null,
                Int8Fp32Ratio: p8.Median / p32.Median),
        ];
    }

    private async Task<FaceModelPaths> EnsureDefaultModelsAsync(FaceEngineOptions options, CancellationToken ct)
    {
        try
        {
            return await DefaultModels.EnsureAsync(HomeResolver.Resolve(options.Home), _output.Log, ct);
        }
        catch (Exception e) when ((e is FaceprintException or IOException or UnauthorizedAccessException) && e is not ModelFormatException)
        {
            throw new CliException($"cannot set up the models: {e.Message}", ExitCodes.ModelProblem, e);
        }
    }

    private static double Gflops(long macs, double msPerFace) => 2.0 * macs / (msPerFace * 1e6);

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float worst = 0;
        for (int i = 0; i < a.Length; i++) worst = MathF.Max(worst, MathF.Abs(a[i] - b[i]));
        return worst;
    }
}
