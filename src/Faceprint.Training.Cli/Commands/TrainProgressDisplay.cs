using System.Globalization;
using Faceprint.Training.Trainer;
using Spectre.Console;

namespace Faceprint.Training.Cli.Commands;

/// <summary>A live Spectre.Console bar on stderr for an interactive <c>faceprint train</c>: steps, loss, learning rate, accuracy.</summary>
internal sealed class TrainProgressDisplay(TextWriter error)
{
    /// <summary>Runs <paramref name="trainer"/> on a worker thread while the bar follows it.</summary>
    public Task<TrainingSummary> RunAsync(FaceTrainer trainer, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("training", maxValue: trainer.TotalSteps);
                task.Value = trainer.State.Step;
                string accuracy = "";
                var progress = new Callback(p =>
                {
                    if (p.ValidationAccuracy is { } a)
                        accuracy = string.Create(CultureInfo.InvariantCulture, $", val {a:P2}");
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch + 1}, loss {p.Loss:F3}, lr {p.LearningRate:G3}{accuracy}"));
                    task.Value = p.Step;
                });
                return await Task.Run(() => trainer.Run(progress: progress, ct: ct), ct);
            });
    }

    // Synchronous, unlike Progress<T>: the trainer's thread updates the task, which Spectre reads under its own lock.
    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
