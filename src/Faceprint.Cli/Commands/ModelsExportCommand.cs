using System.CommandLine;
using System.Globalization;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Export.Onnx;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Mtcnn;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint models export MODEL --onnx OUT.onnx</c>: writes a model as ONNX (input NHWC [N,H,W,3], batch free).
/// MODEL is a default model name (mobilefacenet, pnet, rnet, onet; pulled if needed) or a .fpm / .efm3 file.
/// </summary>
internal sealed class ModelsExportCommand
{
    private static readonly string[] DefaultNames = ["mobilefacenet", "pnet", "rnet", "onet"];
    private readonly CliOutput _output;
    private readonly Argument<string> _model = new("MODEL") { Description = "mobilefacenet, pnet, rnet, onet, or a .fpm or .efm3 file" };
    private readonly Option<string> _onnx = new("--onnx") { Description = "ONNX file to write", HelpName = "OUT.onnx", Required = true };
    private readonly Option<string?> _size = new("--input-size") { Description = "Input HxW (default: the model's own; P-Net 12x12)", HelpName = "HxW" };
    private readonly Option<string?> _home = CommonOptions.Home();
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsExportCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_model);
        command.Add(_onnx);
        command.Add(_size);
        command.Add(_home);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("export", "Export a model to ONNX (NHWC input, free batch)");
        _ = new ModelsExportCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string model = parse.GetRequiredValue(_model);
        var file = await LoadAsync(model, parse.GetValue(_home), ct);
        var network = ModelFamilies.Build(file);
        var (height, width) = parse.GetValue(_size) is { } size ? ParseSize(size) : DefaultSize(file);
        byte[] onnx;
        try
        {
            onnx = new OnnxExporter().Export(network, height, width);
        }
        catch (OnnxExportException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        string path = Path.GetFullPath(parse.GetRequiredValue(_onnx));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, onnx, ct);

        var report = new ModelsExportReport(model, path, file.Family, [height, width, network.InputChannels], onnx.LongLength,
            network.CountMacs(new Core.Tensors.TensorShape(1, height, width, network.InputChannels)));
        if (parse.GetValue(_json)) JsonOutput.Write(_output.Out, report);
        else _output.Out.WriteLine(TextFormat.Invariant($"wrote {path} ({onnx.Length / 1024.0:F1} KiB, input NHWC [N,{height},{width},{network.InputChannels}], opset {OnnxModelWriter.Opset})"));
        return ExitCodes.Success;
    }

    private static async Task<ModelFile> LoadAsync(string model, string? home, CancellationToken ct)
    {
        if (DefaultNames.Contains(model, StringComparer.Ordinal))
        {
            FaceModelPaths paths;
            try
            {
                paths = await DefaultModels.EnsureAsync(HomeResolver.Resolve(home), null, ct);
            }
            catch (Exception e) when ((e is FaceprintException or IOException or UnauthorizedAccessException) && e is not ModelFormatException)
            {
                throw new CliException($"cannot set up the models: {e.Message}", ExitCodes.ModelProblem, e);
            }
            return ModelFile.Load(model switch { "pnet" => paths.PNet, "rnet" => paths.RNet, "onet" => paths.ONet, _ => paths.Embedder });
        }
        if (!File.Exists(model))
            throw new CliException($"no model '{model}': give {string.Join(", ", DefaultNames)} or a .fpm/.efm3 file", ExitCodes.BadInput);
        return model.EndsWith(".efm3", StringComparison.OrdinalIgnoreCase)
            ? Efm3Reader.Read(model).ToModelFile()
            : ModelFile.Load(model);
    }

    /// <summary>The input side a family's config fixes; fully convolutional P-Net gets its 12×12 cell.</summary>
    private static (int, int) DefaultSize(ModelFile file)
    {
        int side = file.Family == CascadeNetDefinition.Family
            ? ModelFamilies.ReadConfig<CascadeNetConfig>(file).InputSize
            : ModelFamilies.ReadConfig<MobileFaceNetConfig>(file).InputSize;
        return side > 0 ? (side, side) : (12, 12);
    }

    private static (int, int) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) && h > 0 && w > 0)
            return (h, w);
        throw new CliException($"--input-size must look like 112x112, got '{text}'", ExitCodes.BadInput);
    }
}
