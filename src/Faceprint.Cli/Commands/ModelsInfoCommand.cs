using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Models;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models info [NAME|FILE]</c>: parameters (train and deploy form), MACs per face, embedding size and
/// latency per face at batch 1 on one thread and on all threads, for a built-in configuration (random weights:
/// speed does not depend on the values), a .fpm file, with no argument the default model's configuration (seconds),
/// or with <c>--all</c> every built-in configuration (minutes, and gigabytes for the largest ViTs).
/// </summary>
internal sealed class ModelsInfoCommand
{
    private const int Seed = 1;
    /// <summary>The configuration of the shipped default embedder, measured when no model is named.</summary>
    private const string DefaultModel = "mobilefacenet";
    private readonly CliOutput _output;
    private readonly Argument<string?> _model = new("NAME|FILE")
    {
        Description = $"A built-in configuration ({string.Join(", ", BuiltInModels.All.Select(b => b.Name))}) or a .fpm model file (default: {DefaultModel})",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<bool> _noReparam = new("--no-reparam")
    {
        Description = "Run the train-form graph (BatchNorm and RepConv branches kept) instead of the reparameterized one",
    };
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<int> _runs = new("--runs") { Description = "Minimum timed runs per measurement", DefaultValueFactory = _ => 10 };
    private readonly Option<bool> _all = new("--all") { Description = "Measure every built-in configuration (minutes; the largest need gigabytes of memory)" };
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsInfoCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_model);
        command.Add(_noReparam);
        command.Add(_threads);
        command.Add(_runs);
        command.Add(_all);
        command.Add(_json);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_model) is not null && result.GetValue(_all))
                result.AddError("--all measures every built-in configuration; name no model with it");
        });
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("info", $"Parameters, MACs, embedding size and measured latency of a model (default: {DefaultModel}) or, with --all, of every built-in configuration");
        _ = new ModelsInfoCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string? model = parse.GetValue(_model);
        bool reparameterize = !parse.GetValue(_noReparam);
        int threads = parse.GetValue(_threads), runs = Math.Max(1, parse.GetValue(_runs));
        bool json = parse.GetValue(_json);
        var targets = model is not null ? [Resolve(model)]
            : parse.GetValue(_all) ? BuiltInModels.All.Select(b => (b, (WeightSet?)null, "random")).ToList()
            : [Resolve(DefaultModel)];
        var infos = new List<ModelInfo>();
        void MeasureAll(Action tick)
        {
            foreach (var (blueprint, stored, source) in targets)
            {
                ct.ThrowIfCancellationRequested();
                var info = Measure(blueprint, stored ?? RandomWeights.Create(blueprint.Parameters, Seed), source, reparameterize, threads, runs);
                infos.Add(info);
                if (!json) _output.Out.WriteLine(Describe(info));
                tick();
            }
        }

        // On a terminal the result lines themselves show progress (a live bar would fight them for the screen);
        // elsewhere stderr gets a line per model, so a log shows the run is alive.
        if (!json && _output.ErrorIsTerminal)
            MeasureAll(() => { });
        else
            await new LineProgressDisplay(_output.Error).RunAsync("measuring models", targets.Count, tick =>
            {
                MeasureAll(tick);
                return Task.CompletedTask;
            });
        if (json) JsonOutput.Write(_output.Out, new ModelInfoReport(infos));
        return ExitCodes.Success;
    }

    private static (ModelBlueprint Blueprint, WeightSet? Weights, string Source) Resolve(string model)
    {
        if (BuiltInModels.Find(model) is { } builtIn) return (builtIn, null, "random");
        if (!File.Exists(model))
            throw new CliException($"'{model}' is neither a built-in model ({string.Join(", ", BuiltInModels.All.Select(b => b.Name))}) nor a file",
                ExitCodes.BadInput);
        var file = ModelFile.Load(model);
        return (ModelFamilies.Blueprint(Path.GetFileNameWithoutExtension(model), file.Family, file.Config), new WeightSet(file.Tensors), Path.GetFullPath(model));
    }

    private static ModelInfo Measure(ModelBlueprint blueprint, WeightSet weights, string source, bool reparameterize, int threads, int runs)
    {
        var deploy = blueprint.Build(weights);
        var network = reparameterize ? deploy : blueprint.Build(weights, reparameterize: false);
        var input = new TensorShape(1, blueprint.InputSize, blueprint.InputSize, 3);
        var single = NetworkTimer.Measure(network, input, 1, runs, 1.0);
        var all = threads == 1 ? single : NetworkTimer.Measure(network, input, threads, runs, 1.0);
        return new ModelInfo(blueprint.Name, blueprint.Family, source, reparameterize, blueprint.InputSize, blueprint.EmbeddingSize,
            blueprint.TrainableParameters, deploy.Layers.Sum(l => l.ParameterCount), network.CountMacs(input), single.Median, single.Min, all.Median, all.Min, threads);
    }

    private static string Describe(ModelInfo m) => TextFormat.Invariant(
        $"{m.Model,-16} {m.Family,-14} params {m.Params / 1e6,7:F2} M (deploy {m.ParamsDeploy / 1e6,7:F2} M)  MACs {m.Macs / 1e6,8:F1} M  emb {m.EmbeddingSize,4}  {m.InputSize}px  {m.Ms1t,8:F2} ms/face 1 thread (best {m.Ms1tMin:F2}), {m.MsAll,8:F2} ms/face {m.Threads} threads (best {m.MsAllMin:F2}){(m.Reparameterized ? "" : "  (train form)")}");
}
