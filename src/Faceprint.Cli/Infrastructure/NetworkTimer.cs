using System.Diagnostics;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;

namespace Faceprint.Cli.Infrastructure;

/// <summary>Wall-clock latency of one network run on a fixed input, after warm-up, in one reused session.</summary>
internal static class NetworkTimer
{
    private const int WarmUp = 2;

    /// <summary>
    /// Median and fastest milliseconds per run at <paramref name="input"/> with <paramref name="threads"/> threads: at
    /// least <paramref name="minRuns"/> timed runs, and more until <paramref name="minSeconds"/> have passed (capped at
    /// 200). The fastest run is what the machine can do; the median also carries whatever else it was doing.
    /// </summary>
    public static (double Median, double Min) Measure(Network network, TensorShape input, int threads, int minRuns, double minSeconds)
    {
        var session = new InferenceSession(network, threads);
        var data = session.PrepareInput(input);
        var random = new Random(1);
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < WarmUp; i++) session.Run();
        var times = new List<double>();
        long started = Stopwatch.GetTimestamp();
        while (times.Count < minRuns || (Stopwatch.GetElapsedTime(started).TotalSeconds < minSeconds && times.Count < 200))
        {
            long start = Stopwatch.GetTimestamp();
            session.Run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[0]);
    }
}
