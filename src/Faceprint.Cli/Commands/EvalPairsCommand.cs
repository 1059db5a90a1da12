using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Cli.Verification;
using Faceprint.Engine;
using Faceprint.Evaluation;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint eval pairs --root DIR --pairs FILE</c>: the LFW verification protocol over the full pipeline
/// (detect, align, embed the subject face of each photo), k-fold accuracy, ROC figures and optional plots.
/// </summary>
internal sealed class EvalPairsCommand
{
    private const string CountAsDifferent = "count-as-different";
    private const string Exclude = "exclude";

    private readonly CliOutput _output;
    private readonly Option<string> _root = new("--root") { Description = "LFW-layout folder: one sub-folder per person, Name/Name_0001.jpg", HelpName = "DIR", Required = true };
    private readonly Option<string> _pairs = new("--pairs") { Description = "LFW pairs.txt (header 'folds pairsPerFold')", HelpName = "FILE", Required = true };
    private readonly Option<string?> _plots = new("--plots") { Description = "Write roc.png and scores.png into this folder", HelpName = "DIR" };
    private readonly Option<string?> _errors = ErrorAnalysis.Option();
    private readonly Option<string?> _scores = ErrorAnalysis.ScoresOption();
    private readonly Option<string> _missing = new("--missing")
    {
        Description = "Pairs with an image without a face (or unreadable): count them as predicted different (honest), or exclude them",
        DefaultValueFactory = _ => CountAsDifferent,
    };
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly EngineSettings _engine;

    private EvalPairsCommand(Command command, CliOutput output)
    {
        _output = output;
        _missing.AcceptOnlyFromAmong(CountAsDifferent, Exclude);
        command.Add(_root);
        command.Add(_pairs);
        command.Add(_plots);
        command.Add(_errors);
        command.Add(_scores);
        command.Add(_missing);
        command.Add(_json);
        _engine = new EngineSettings(command, "Fixed threshold to also report accuracy at (default: the model's)", embedderModel: true, faceChoice: true);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("pairs", "Verification accuracy on LFW-style pairs (k-fold, as in the LFW protocol); --threads images run in parallel");
        _ = new EvalPairsCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string root = parse.GetRequiredValue(_root), pairsFile = parse.GetRequiredValue(_pairs);
        string? plots = parse.GetValue(_plots), errors = parse.GetValue(_errors);
        var policy = parse.GetRequiredValue(_missing) == Exclude ? MissingScorePolicy.Exclude : MissingScorePolicy.CountAsDifferent;
        bool json = parse.GetValue(_json);
        var specs = LoadPairs(root, pairsFile);

        // Parallel across images, one thread per network call: LFW-sized images are too small to split one call well.
        int parallelism = _engine.Threads(parse);
        var options = _engine.Read(parse) with { Threads = 1 };
        using var engine = await EngineLoader.CreateAsync(options, _output, ct);
        var progress = ProgressDisplays.For(_output, json);
        var outcomes = await ImageEmbeddingCache.EmbedAllAsync(engine, specs.SelectMany(p => new[] { p.PathA, p.PathB }), parallelism, progress, ct);

        var scored = PairScorer.Score(specs, outcomes);
        var report = VerificationReport.Build(engine, root, pairsFile, specs.Count, scored, outcomes, policy, plots);
        if (errors is not null)
            report = report with { Errors = await ErrorAnalysis.WritePairsAsync(errors, engine, specs, scored, outcomes, report.ErrorThreshold, ct) };

        if (parse.GetValue(_scores) is { } scoresFile)
            await ErrorAnalysis.WriteScoresAsync(scoresFile, scored, ct);
        if (json) JsonOutput.Write(_output.Out, report);
        else EvalReportText.Write(_output.Out, report);
        return ExitCodes.Success;
    }

    private static IReadOnlyList<PairSpec> LoadPairs(string root, string pairsFile)
    {
        if (!Directory.Exists(root))
            throw new CliException($"LFW root folder not found: {root}", ExitCodes.BadInput);
        if (!File.Exists(pairsFile))
            throw new CliException($"pairs file not found: {pairsFile}", ExitCodes.BadInput);
        try
        {
            return LfwPairsFile.Load(pairsFile, root);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e); // a malformed pairs file is bad input
        }
    }
}
