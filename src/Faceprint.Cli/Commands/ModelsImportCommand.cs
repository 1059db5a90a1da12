using System.CommandLine;
using System.Security.Cryptography;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Import.Checkpoints;
using Faceprint.Models;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models import CHECKPOINT --model NAME --out OUT.fpm</c>: trained weights of a built-in configuration
/// from a PyTorch checkpoint (.pt/.pth) or safetensors file, checked strictly against the reference parameter names.
/// </summary>
internal sealed class ModelsImportCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _input = new("CHECKPOINT") { Description = "PyTorch .pt/.pth state dict or .safetensors file" };
    private readonly Option<string> _model = new("--model")
    {
        Description = $"Built-in configuration the weights belong to ({string.Join(", ", BuiltInModels.All.Where(m => m.Family != "mobilefacenet").Select(m => m.Name))})",
        Required = true,
    };
    private readonly Option<string> _out = new("--out") { Description = "Engine model file to write", HelpName = "OUT.fpm", Required = true };
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsImportCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_input);
        command.Add(_model);
        command.Add(_out);
        command.Add(_json);
        command.SetAction(Run);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("import", "Import trained weights (PyTorch checkpoint or safetensors) of a built-in configuration into a .fpm file");
        _ = new ModelsImportCommand(command, output);
        return command;
    }

    private int Run(ParseResult parse)
    {
        string input = Path.GetFullPath(parse.GetRequiredValue(_input));
        string output = Path.GetFullPath(parse.GetRequiredValue(_out));
        string name = parse.GetRequiredValue(_model);
        var blueprint = BuiltInModels.Find(name)
            ?? throw new CliException($"unknown model '{name}' (known: {string.Join(", ", BuiltInModels.All.Select(m => m.Name))})", ExitCodes.BadInput);
        if (!File.Exists(input)) throw new CliException($"checkpoint not found: {input}", ExitCodes.BadInput);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)));
        var file = CheckpointImporter.Import(blueprint, CheckpointReader.Read(input),
            new Dictionary<string, string> { ["source"] = Path.GetFileName(input), ["source_sha256"] = sha, ["converter"] = "checkpoint" });
        file.Save(output);
        var report = new ModelsImportReport(input, output, blueprint.Name, blueprint.Family, file.Tensors.Count, blueprint.TrainableParameters);
        if (parse.GetValue(_json)) JsonOutput.Write(_output.Out, report);
        else _output.Out.WriteLine(TextFormat.Invariant($"wrote {output} ({blueprint.Name}: {file.Tensors.Count} tensors, {blueprint.TrainableParameters / 1e6:F2} M parameters)"));
        return ExitCodes.Success;
    }
}
