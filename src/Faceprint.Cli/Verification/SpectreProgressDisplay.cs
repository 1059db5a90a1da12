using Spectre.Console;

namespace Faceprint.Cli.Verification;

/// <summary>A live Spectre.Console progress bar on stderr, so stdout stays clean for the results.</summary>
internal sealed class SpectreProgressDisplay(TextWriter error) : IProgressDisplay
{
    /// <inheritdoc />
    public Task RunAsync(string description, int total, Func<Action, Task> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                // ProgressTask.Increment locks internally, so workers on any thread may call it.
                await work(() => task.Increment(1));
            });
    }
}
