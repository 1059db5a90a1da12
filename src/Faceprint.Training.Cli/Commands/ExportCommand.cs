using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Training;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Cli.Output;
using Faceprint.Training.Export;

namespace Faceprint.Training.Cli.Commands;

/// <summary>
/// <c>faceprint export CHECKPOINT --out MODEL.fpm</c>: a trained network (a checkpoint saved by the trainer, or a plain
/// PyTorch/safetensors state_dict with <c>--model</c>) as the engine's model file, written only after the engine's
/// forms of it embed a random batch as the training network does.
/// </summary>
internal sealed class ExportCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _input = new("CHECKPOINT") { Description = "Backbone checkpoint (.safetensors, or .pt with its .pt.json description), a PyTorch/safetensors state_dict, a TorchSharp module file (.dat) or a trainer's checkpoint folder (backbone.dat)" };
    private readonly Option<string> _out = new("--out") { Description = "Engine model file to write", HelpName = "MODEL.fpm", Required = true };
    private readonly Option<string?> _model = new("--model")
    {
        Description = "Built-in configuration the weights belong to, for a checkpoint that does not describe itself",
        HelpName = "NAME",
    };
    private readonly Option<string?> _efm3 = new("--efm3")
    {
        Description = "Also write the verified MobileFaceNet weights as a FaceX EFM3 file",
        HelpName = "OUT.efm3",
    };
    private readonly Option<int> _batch = new("--batch")
    {
        Description = "Random faces the parity check embeds",
        HelpName = "N",
        DefaultValueFactory = _ => ModelExporter.DefaultBatch,
    };
    private readonly Option<double> _tolerance = new("--tolerance")
    {
        Description = "Largest absolute embedding difference accepted between engine and training network",
        HelpName = "X",
        DefaultValueFactory = _ => ModelExporter.DefaultTolerance,
    };
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<bool> _json = CommonOptions.Json();

    private ExportCommand(Command command, CliOutput output)
    {
        _output = output;
        _batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--batch must be at least 1");
        });
        _tolerance.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--tolerance must be positive");
        });
        command.Add(_input);
        command.Add(_out);
        command.Add(_model);
        command.Add(_efm3);
        command.Add(_batch);
        command.Add(_tolerance);
        command.Add(_threads);
        command.Add(_json);
        command.SetAction(Run);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command(HandedOverCommands.Export, HandedOverCommands.ExportDescription);
        _ = new ExportCommand(command, output);
        return command;
    }

    private int Run(ParseResult parse)
    {
        string input = Path.GetFullPath(parse.GetRequiredValue(_input));
        string output = Path.GetFullPath(parse.GetRequiredValue(_out));
        string source = BackboneCheckpoint.SourceFile(input);
        if (!File.Exists(source)) throw new CliException($"checkpoint not found: {source}", ExitCodes.BadInput);
        ModelBlueprint? blueprint = null;
        if (parse.GetValue(_model) is { } name)
            blueprint = BuiltInModels.Find(name.Replace('_', '-'))
                ?? throw new CliException($"unknown model '{name}' (known: {string.Join(", ", BuiltInModels.All.Select(m => m.Name))})", ExitCodes.BadInput);
        TorchRuntime.SetThreads(parse.GetValue(_threads));

        var checkpoint = BackboneCheckpoint.Load(input, blueprint);
        string? efm3 = parse.GetValue(_efm3) is { } e3 ? Path.GetFullPath(e3) : null;
        if (efm3 is not null && checkpoint.Family != MobileFaceNetDefinition.Family)
            throw new CliException($"--efm3 applies to MobileFaceNet checkpoints, this one holds {checkpoint.Family}", ExitCodes.BadInput);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source)));
        var metadata = new Dictionary<string, string> { ["source"] = Path.GetFileName(source), ["source_sha256"] = sha, ["converter"] = "training-export" };
        ExportResult result;
        try
        {
            result = ModelExporter.Export(checkpoint, metadata, parse.GetValue(_batch), parse.GetValue(_tolerance));
        }
        catch (ExportVerificationException e)
        {
            throw new CliException($"{e.Message}; nothing written", ExitCodes.ModelProblem);
        }
        result.File.Save(output);
        if (efm3 is not null) Efm3Writer.Save(MobileFaceNetEfm3.FromCheckpoint(checkpoint), efm3);

        var report = new ExportReport(input, output, efm3, checkpoint.Family, result.File.Tensors.Count, result.Batch, result.Tolerance,
            result.Parity.Single(p => p.Reparameterized).MaxAbsDifference,
            result.Parity.SingleOrDefault(p => !p.Reparameterized)?.MaxAbsDifference);
        if (parse.GetValue(_json)) JsonOutput.Write(_output.Out, report);
        else
        {
            string train = report.MaxAbsDifferenceTrainForm is { } t ? string.Create(CultureInfo.InvariantCulture, $", train form {t:G3}") : "";
            _output.Out.WriteLine(TextFormat.Invariant(
                $"wrote {output}{(efm3 is null ? "" : " and " + efm3)} ({checkpoint.Family}, {report.Tensors} tensors); parity on {report.Batch} faces: max |difference| {report.MaxAbsDifference:G3}{train} (tolerance {report.Tolerance:G3})"));
        }
        return ExitCodes.Success;
    }
}
