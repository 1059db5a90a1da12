using System.Diagnostics;
using System.Globalization;

namespace Faceprint.Cli.Verification;

/// <summary>
/// Progress as plain lines on stderr, for logs, pipes and CI where a redrawn bar would be noise but silence until the
/// end looks like a hang: "faceprint: DESCRIPTION: DONE/TOTAL (ELAPSED s)" at every tenth of the work (every item
/// when there are at most ten).
/// </summary>
internal sealed class LineProgressDisplay(TextWriter error) : IProgressDisplay
{
    /// <inheritdoc />
    public Task RunAsync(string description, int total, Func<Action, Task> work)
    {
        var gate = new Lock();
        long started = Stopwatch.GetTimestamp();
        int done = 0, printedStep = 0;
        return work(() =>
        {
            lock (gate)
            {
                done++;
                int step = total <= 10 ? done : (int)((long)done * 10 / total);
                if (step <= printedStep) return;
                printedStep = step;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"faceprint: {description}: {done}/{total} ({Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s)"));
            }
        });
    }
}
