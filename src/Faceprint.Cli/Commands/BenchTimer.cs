using System.Diagnostics;

namespace Faceprint.Cli.Commands;

/// <summary>Median and 90th percentile of a set of timings.</summary>
internal readonly record struct BenchStats(double Median, double P90)
{
    /// <summary>Statistics of <paramref name="samples"/> (not modified): the middle value (mean of the middle two for an
    /// even count) and the nearest-rank 90th percentile.</summary>
    public static BenchStats Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        int n = sorted.Length;
        return new BenchStats((sorted[(n - 1) / 2] + sorted[n / 2]) / 2, sorted[(int)Math.Ceiling(n * 0.9) - 1]);
    }
}

/// <summary>
/// Wall-clock timing after warm-up; two contenders are interleaved so machine noise hits both alike. Warm-up lasts
/// at least <see cref="WarmUpTime"/> and <see cref="MinWarmUpRuns"/> runs: .NET's tiered JIT recompiles hot kernels
/// only after ~30 calls plus a background delay, so a few runs would time unoptimised code.
/// </summary>
internal static class BenchTimer
{
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1.5);
    private const int MinWarmUpRuns = 3;
    private const int BlockRuns = 5;

    /// <summary>Milliseconds of each timed run of <paramref name="action"/>.</summary>
    public static double[] Time(Action action, int runs)
    {
        WarmUp(action);
        var samples = new double[runs];
        for (int i = 0; i < runs; i++) samples[i] = Measure(action);
        return samples;
    }

    /// <summary>
    /// Milliseconds of <paramref name="runs"/> timed runs each of <paramref name="a"/> and <paramref name="b"/>, in
    /// alternating blocks (a first, then b first, …) so slow drifts in machine load hit both alike. Each block starts
    /// with one untimed run: ONNX Runtime's worker threads keep spinning briefly after a run, and that (or the other
    /// side's caches) must not be charged to whichever contender happens to run next.
    /// </summary>
    public static (double[] A, double[] B) Interleaved(Action a, Action b, int runs)
    {
        WarmUp(() =>
        {
            a();
            b();
        });
        var first = new double[runs];
        var second = new double[runs];
        for (int done = 0, round = 0; done < runs; round++)
        {
            int count = Math.Min(BlockRuns, runs - done);
            if (round % 2 == 0)
            {
                Block(a, first.AsSpan(done, count));
                Block(b, second.AsSpan(done, count));
            }
            else
            {
                Block(b, second.AsSpan(done, count));
                Block(a, first.AsSpan(done, count));
            }
            done += count;
        }
        return (first, second);
    }

    private static void Block(Action action, Span<double> samples)
    {
        action();
        for (int i = 0; i < samples.Length; i++) samples[i] = Measure(action);
    }

    private static void WarmUp(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < MinWarmUpRuns || Stopwatch.GetElapsedTime(start) < WarmUpTime; i++) action();
    }

    private static double Measure(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
