using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Models;
using Faceprint.Recognition;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models quantize IN.fpm --calibration DIR --out OUT.fpm</c>: finds and aligns the main face of each
/// calibration photo, calibrates the int8 plan on them and writes it into a copy of the model file; then reports the
/// cosine between int8 and fp32 embeddings on the --check photos (or the calibration faces).
/// </summary>
internal sealed class ModelsQuantizeCommand
{
    private const string MinMax = "minmax", MeanMinMax = "mean-minmax";
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    private readonly CliOutput _output;
    private readonly Argument<string> _input = new("IN.fpm") { Description = "fp32 embedding model file" };
    private readonly Option<string> _calibration = new("--calibration") { Description = "Folder of photos (searched recursively) to calibrate on", HelpName = "DIR", Required = true };
    private readonly Option<string> _out = new("--out") { Description = "Quantized model file to write", HelpName = "OUT.fpm", Required = true };
    private readonly Option<string> _method = new("--method")
    {
        Description = "Activation ranges: 'minmax' (extremes over all faces) or 'mean-minmax' (mean of each face's extremes)",
        DefaultValueFactory = _ => MinMax,
    };
    private readonly Option<string[]> _keep = new("--keep-fp32") { Description = "Conv layers to keep in fp32 (by name, e.g. stem or embed; 'none' for none); default: dense k×k convs over more than four input channels (none in MobileFaceNet: the stem runs int8)", HelpName = "LAYER", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> _perChannel = new("--per-channel") { Description = "Depthwise convs whose input is quantized per channel (by name, e.g. gdconv; 'none' for none); default: those after a float layer (the stem's) and the GDConv, where a per-tensor range costs the most accuracy", HelpName = "LAYER", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _planOut = new("--plan-out") { Description = "Also write the calibrated plan alone, as JSON (what the model file carries under 'quantization')", HelpName = "PLAN.json" };
    private readonly Option<string?> _check = new("--check") { Description = "Folder of photos to compare int8 with fp32 embeddings on (default: the calibration faces)", HelpName = "DIR" };
    private readonly Option<int> _maxPhotos = new("--max-photos") { Description = "Use at most this many photos of each folder (sorted by path)", DefaultValueFactory = _ => 300 };
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsQuantizeCommand(Command command, CliOutput output)
    {
        _output = output;
        _method.AcceptOnlyFromAmong(MinMax, MeanMinMax);
        _maxPhotos.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-photos must be at least 1");
        });
        command.Add(_input);
        command.Add(_calibration);
        command.Add(_out);
        command.Add(_method);
        command.Add(_keep);
        command.Add(_perChannel);
        command.Add(_planOut);
        command.Add(_check);
        command.Add(_maxPhotos);
        command.Add(_threads);
        command.Add(_home);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    public static Command Create(CliOutput output)
    {
        var command = new Command("quantize", "Calibrate an embedding model for int8 on a folder of photos and write the quantized model file");
        _ = new ModelsQuantizeCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string input = Path.GetFullPath(parse.GetRequiredValue(_input));
        string output = Path.GetFullPath(parse.GetRequiredValue(_out));
        var method = parse.GetRequiredValue(_method) == MeanMinMax ? CalibrationMethod.MeanMinMax : CalibrationMethod.MinMax;
        var keep = LayerNames(parse, _keep);
        var perChannel = LayerNames(parse, _perChannel);
        int maxPhotos = parse.GetValue(_maxPhotos), threads = parse.GetValue(_threads);
        ModelFile file;
        try
        {
            file = ModelFile.Load(input);
        }
        catch (ModelFormatException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        var network = ModelFamilies.Build(file);
        keep ??= [.. NetworkQuantizer.KeptFp32ByDefault(network)];
        perChannel ??= [.. NetworkQuantizer.PerChannelByDefault(network).Except(keep)];
        using var engine = await EngineLoader.CreateAsync(new FaceEngineOptions { Home = parse.GetValue(_home), Threads = 1 }, _output, ct);
        var calibrationPhotos = Photos(parse.GetRequiredValue(_calibration), maxPhotos);
        var faces = await AlignedFacesAsync(engine, calibrationPhotos, threads, ct);
        if (faces.Count == 0) throw new CliException("no face found in the calibration photos", ExitCodes.BadInput);
        QuantizationPlan plan;
        try
        {
            plan = EmbedderQuantizer.Calibrate(file, faces, method, keep, perChannel, ct);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        var quantized = EmbedderQuantizer.WithPlan(file, plan);
        quantized.Save(output);
        if (parse.GetValue(_planOut) is { } planOut) await File.WriteAllTextAsync(planOut, plan.ToJson(indented: true) + "\n", ct);

        var checkFaces = parse.GetValue(_check) is { } check ? await AlignedFacesAsync(engine, Photos(check, maxPhotos), threads, ct) : faces;
        if (checkFaces.Count == 0) throw new CliException("no face found in the --check photos", ExitCodes.BadInput);
        var normalization = ModelFamilies.EmbedderInput(file.Family);
        var fp32 = new FaceEmbedder(EmbedderQuantizer.BuildNetwork(quantized, EmbedderPrecision.Fp32), normalization);
        var int8 = new FaceEmbedder(EmbedderQuantizer.BuildNetwork(quantized, EmbedderPrecision.Int8), normalization);
        var (mean, min) = EmbedderQuantizer.Agreement(fp32, int8, checkFaces);

        var report = new ModelsQuantizeReport(input, output, parse.GetRequiredValue(_method), faces.Count, calibrationPhotos.Count,
            plan.Inputs.Count + plan.ChannelInputs.Count, plan.KeepFp32, plan.ChannelInputs.Keys.Order(StringComparer.Ordinal).ToArray(), checkFaces.Count, mean, min);
        if (parse.GetValue(_json)) JsonOutput.Write(_output.Out, report);
        else
        {
            _output.Out.WriteLine(TextFormat.Invariant(
                $"calibrated on {faces.Count} faces from {calibrationPhotos.Count} photos ({report.Method}): {report.QuantizedLayers} convs in int8, per-channel input: {(perChannel.Length == 0 ? "none" : string.Join(", ", perChannel))}, kept fp32: {(keep.Length == 0 ? "none" : string.Join(", ", keep))}"));
            _output.Out.WriteLine(TextFormat.Invariant($"int8 vs fp32 cosine on {checkFaces.Count} faces: mean {mean:F5}, min {min:F5}"));
            _output.Out.WriteLine($"wrote {output}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The layer names an option lists (comma- or space-separated; 'none' alone means none), or null when it is absent.</summary>
    private static string[]? LayerNames(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is null ? null
            : parse.GetValue(option)!.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Where(k => k != "none").Distinct().ToArray();

    private static List<string> Photos(string root, int max)
    {
        if (!Directory.Exists(root)) throw new CliException($"folder not found: {root}", ExitCodes.BadInput);
        var photos = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant())).Order(StringComparer.Ordinal).Take(max).ToList();
        if (photos.Count == 0) throw new CliException($"no photos under {root}", ExitCodes.BadInput);
        return photos;
    }

    /// <summary>The aligned main face of each photo that has one, in photo order (unreadable photos are skipped).</summary>
    private static async Task<List<RgbImage>> AlignedFacesAsync(FaceEngine engine, List<string> photos, int threads, CancellationToken ct)
    {
        var faces = new RgbImage?[photos.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, photos.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = ct },
            async (i, token) =>
            {
                RgbImage image;
                try
                {
                    image = await engine.LoadImageAsync(photos[i], token).ConfigureAwait(false);
                }
                catch (FaceprintException)
                {
                    return;
                }
                var detected = engine.Detect(image, token);
                if (detected.Count > 0) faces[i] = engine.Align(image, FaceEngine.MostProminent(detected, image));
            }).ConfigureAwait(false);
        return faces.OfType<RgbImage>().ToList();
    }
}
