using System.Collections.Concurrent;
using System.Globalization;
using Faceprint.Core.Kernels;

namespace Faceprint.Cli.Commands;

/// <summary>
/// The fp32 peak the "% peak" column divides by: FMA throughput measured on this CPU with the engine's instruction set
/// (<see cref="FmaPeak"/>), once per thread count and process. A measured peak cannot be exceeded by the engine's
/// kernels, which run the same FMAs, whereas a clock read from /proc/cpuinfo and a table of FLOPs per cycle per CPU
/// family gave 111–114 % on a CPU the table did not know.
/// </summary>
internal sealed class BenchMachine(KernelIsa isa, Func<int, double> measureGflops)
{
    private readonly ConcurrentDictionary<int, double> _peaks = new();

    /// <summary>This process's machine: the engine's instruction set, measured on first use of each thread count.</summary>
    public static BenchMachine Current { get; } = new(KernelIsas.Best, threads => FmaPeak.MeasureGflops(KernelIsas.Best, threads));

    /// <summary>The instruction set the peak is measured on.</summary>
    public KernelIsa Isa { get; } = isa;

    /// <summary>Peak GFLOP/s with <paramref name="threads"/> threads busy (measured once, then remembered).</summary>
    public double PeakGflops(int threads) => _peaks.GetOrAdd(threads, measureGflops);

    /// <summary>How the peak was found and what it was for each thread count used, for the text output.</summary>
    public string Describe()
    {
        var peaks = string.Join(", ", _peaks.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} thread(s) {p.Value:F1} GFLOP/s")));
        return $"peak = FMA throughput measured on this CPU ({Isa}, {FmaPeak.Chains} independent chains per thread, best of several trials): {peaks}";
    }
}
