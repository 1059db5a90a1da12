using System.CommandLine;
using System.Security.Cryptography;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Import.Efm3;

namespace Faceprint.Cli.Commands;

/// <summary><c>faceprint models convert IN.efm3 --out OUT.fpm</c>: a FaceX EFM3 file to the engine's format (BN folded).</summary>
internal sealed class ModelsConvertCommand
{
    private readonly CliOutput _output;
    private readonly Argument<string> _input = new("IN.efm3") { Description = "FaceX EFM3 weight file" };
    private readonly Option<string> _out = new("--out") { Description = "Engine model file to write", HelpName = "OUT.fpm", Required = true };
    private readonly Option<bool> _json = CommonOptions.Json();

    private ModelsConvertCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_input);
        command.Add(_out);
        command.Add(_json);
        command.SetAction(Run);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("convert", "Convert a FaceX EFM3 weight file to the engine's .fpm format");
        _ = new ModelsConvertCommand(command, output);
        return command;
    }

    private int Run(ParseResult parse)
    {
        string input = Path.GetFullPath(parse.GetRequiredValue(_input));
        string output = Path.GetFullPath(parse.GetRequiredValue(_out));
        var model = Efm3Reader.Read(input);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)));
        model.ToModelFile(new Dictionary<string, string> { ["source"] = Path.GetFileName(input), ["source_sha256"] = sha, ["converter"] = "efm3" }).Save(output);

        var c = model.Config;
        var report = new ModelsConvertReport(input, output, c.StemChannels, c.Stages.Count > 1 ? c.Stages[1].Channels : c.StemChannels, c.FinalChannels, c.EmbeddingSize);
        if (parse.GetValue(_json)) JsonOutput.Write(_output.Out, report);
        else _output.Out.WriteLine(TextFormat.Invariant(
            $"wrote {output} (MobileFaceNet: stem {c.StemChannels}, blocks {report.BlockChannels}, final {c.FinalChannels}, {c.EmbeddingSize}-d)"));
        return ExitCodes.Success;
    }
}
