using System.CommandLine;
using System.Globalization;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Cli.Output;
using Faceprint.Training.Cli.Output;
using Faceprint.Training.Configuration;
using Faceprint.Training.Data;
using Faceprint.Training.Trainer;

namespace Faceprint.Training.Cli.Commands;

/// <summary>
/// <c>faceprint train --config FILE</c>: trains a recognition backbone as the config describes (JSON or YAML), writing
/// checkpoints (last/, best/), curve.csv and its plots to the config's output folder.
/// </summary>
internal sealed class TrainCommand
{
    private readonly CliOutput _output;
    private readonly Option<string> _config = new("--config") { Description = "Training config (.json, .yaml or .yml)", HelpName = "FILE", Required = true };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue from the output folder's last checkpoint when there is one" };
    private readonly Option<bool> _json = CommonOptions.Json();

    private TrainCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_config);
        command.Add(_resume);
        command.Add(_json);
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command(HandedOverCommands.Train, HandedOverCommands.TrainDescription);
        _ = new TrainCommand(command, output);
        command.Add(TrainPackCommand.Create(output));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        TrainingConfig config;
        try
        {
            config = TrainingConfigFile.Load(parse.GetRequiredValue(_config));
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }

        using var job = CreateJob(config, parse.GetValue(_resume));
        var trainer = job.Trainer;
        _output.Log.Report($"training {config.Network} on {job.Images} images of {job.Classes} identities, {trainer.TotalSteps} steps; output {config.Output}");
        if (trainer.State.Step > 0)
            _output.Log.Report($"resumed at step {trainer.State.Step} (epoch {trainer.State.Epoch + 1}, batch {trainer.State.Batch})");

        TrainingSummary summary;
        try
        {
            summary = _output.ErrorIsTerminal && !parse.GetValue(_json)
                ? await new TrainProgressDisplay(_output.Error).RunAsync(trainer, ct)
                : await Task.Run(() => trainer.Run(progress: new EpochLog(_output, trainer.TotalSteps), ct: ct), ct);
        }
        catch (OperationCanceledException)
        {
            SaveOnStop(trainer);
            throw;
        }
        if (!summary.Completed)
        {
            SaveOnStop(trainer);
            throw new OperationCanceledException();
        }

        var curve = Path.Combine(config.Output, "curve.csv");
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output.Out, new TrainReport(config.Network, job.Images, job.Classes, summary.Steps, trainer.TotalSteps,
                double.IsFinite(summary.LastLoss) ? summary.LastLoss : null, summary.BestAccuracy, summary.BestAccuracy is null ? null : summary.BestStep,
                summary.Elapsed.TotalSeconds, trainer.LastCheckpointFolder!, summary.BestAccuracy is null ? null : trainer.BestCheckpointFolder, curve));
            return ExitCodes.Success;
        }
        var w = _output.Out;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"steps:          {summary.Steps} ({summary.Elapsed:hh\\:mm\\:ss} this run)"));
        if (double.IsFinite(summary.LastLoss)) // NaN when a resumed run had no step left to do
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last loss:      {summary.LastLoss:F4}"));
        if (summary.BestAccuracy is { } best)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best accuracy:  {best:P2} at step {summary.BestStep} ({trainer.BestCheckpointFolder})"));
        w.WriteLine($"last checkpoint: {trainer.LastCheckpointFolder}");
        w.WriteLine($"training curve: {curve}");
        return ExitCodes.Success;
    }

    /// <summary>Stopped by Ctrl+C (between steps, where the state is consistent): keep what was done for --resume.</summary>
    private void SaveOnStop(FaceTrainer trainer)
    {
        if (trainer.LastCheckpointFolder is not { } last)
            return;
        trainer.SaveCheckpoint(last);
        _output.Log.Report($"stopped at step {trainer.State.Step}; checkpoint {last} (continue with --resume)");
    }

    private static TrainingJob CreateJob(TrainingConfig config, bool resume)
    {
        try
        {
            return TrainingJob.Create(config, BackboneRegistry.Default, resume);
        }
        catch (Exception e) when (e is RecordIOFormatException or ImageLoadException)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
        catch (FaceprintException e) when (e is not CliException)
        {
            // Unknown network, missing data folder or teacher weights, unusable checkpoint: all problems of the config.
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }
    }

    /// <summary>Non-interactive progress: one stderr line per epoch (and per validation), nothing per step.</summary>
    private sealed class EpochLog(CliOutput output, long totalSteps) : IProgress<TrainingProgress>
    {
        private int _epoch = -1;

        public void Report(TrainingProgress value)
        {
            if (value.ValidationAccuracy is { } accuracy)
                output.Log.Report(string.Create(CultureInfo.InvariantCulture, $"step {value.Step}/{totalSteps}: validation accuracy {accuracy:P2}"));
            if (value.Epoch != _epoch)
            {
                _epoch = value.Epoch;
                output.Log.Report(string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch + 1}: step {value.Step}/{totalSteps}, loss {value.Loss:F4}, lr {value.LearningRate:G4}"));
            }
        }
    }
}
