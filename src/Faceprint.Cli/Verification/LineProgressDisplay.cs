using System.Diagnostics;
using System.Globalization;

namespace Faceprint.Cli.Verification;

/// <summary>
/// Progress as plain lines on stderr, for long jobs whose stderr is a log or a pipe rather than a terminal: one line
/// per tenth of the work, at most one per <see cref="MinimumInterval"/> in between, and one at the end.
/// </summary>
internal sealed class LineProgressDisplay(TextWriter error) : IProgressDisplay
{
    /// <summary>Least time between two lines, except the last.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task RunAsync(string description, int total, Func<Action, Task> work)
    {
        var clock = Stopwatch.StartNew();
        var gate = new Lock();
        int done = 0, nextTenth = 1;
        var lastLine = TimeSpan.Zero;
        await work(() =>
        {
            lock (gate)
            {
                done++;
                bool tenth = total > 0 && done * 10L >= nextTenth * (long)total;
                if (tenth) nextTenth = (int)(done * 10L / total) + 1;
                if (done == total || tenth || clock.Elapsed - lastLine >= MinimumInterval)
                {
                    lastLine = clock.Elapsed;
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"faceprint: {description}: {done}/{total} ({100.0 * done / Math.Max(1, total):F0}%), {clock.Elapsed.TotalSeconds:F0} s"));
                }
            }
        });
    }
}
