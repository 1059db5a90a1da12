using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Cli.Commands;

/// <summary>
/// The machine's theoretical fp32 peak: cores × clock × FLOPs per cycle per core. FLOPs per cycle come from the
/// vector ISA (2 FMA pipes × lanes × 2): AVX-512 on Zen 5 and Intel is 2×16×2 = 64; Zen 4 runs AVX-512 on 256-bit
/// pipes, so 32, as AVX2+FMA is. The clock is the highest "cpu MHz" in /proc/cpuinfo (a VM usually reports its
/// nominal clock; boost can exceed it, so percentages above 100 are possible in principle).
/// </summary>
internal sealed record BenchMachine(int Cores, double? Ghz, int FlopsPerCycle, string Isa)
{
    /// <summary>Peak GFLOP/s with <paramref name="threads"/> busy cores, or null when the clock is unknown.</summary>
    public double? PeakGflops(int threads) => Ghz is { } ghz ? Math.Min(threads, Cores) * ghz * FlopsPerCycle : null;

    /// <summary>How the peak is derived, for the text output.</summary>
    public string Describe() => Ghz is { } ghz
        ? string.Create(CultureInfo.InvariantCulture, $"peak = cores × {ghz:F2} GHz (/proc/cpuinfo) × {FlopsPerCycle} FLOP/cycle ({Isa}); {Cores} core(s)")
        : $"peak unknown: no clock in /proc/cpuinfo ({Isa}, {FlopsPerCycle} FLOP/cycle)";

    /// <summary>Inspects this machine.</summary>
    public static BenchMachine Detect()
    {
        var (isa, flops) = VectorIsa();
        return new BenchMachine(Environment.ProcessorCount, ClockGhz(), flops, isa);
    }

    private static (string Isa, int FlopsPerCycle) VectorIsa()
    {
        if (Avx512F.IsSupported) return IsAmdFamily(0x19) ? ("AVX-512 on 256-bit pipes (Zen 4)", 32) : ("AVX-512, 2 FMA pipes", 64);
        if (Fma.IsSupported) return ("AVX2 + FMA, 2 pipes", 32);
        return ("128-bit SIMD", 16);
    }

    /// <summary>True for an AMD CPU of the given (extended) family: 0x19 is Zen 3/4, 0x1A Zen 5.</summary>
    private static bool IsAmdFamily(int family)
    {
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        bool amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163; // "AuthenticAMD"
        int eax = X86Base.CpuId(1, 0).Eax;
        int baseFamily = (eax >> 8) & 0xF;
        int fullFamily = baseFamily == 0xF ? baseFamily + ((eax >> 20) & 0xFF) : baseFamily;
        return amd && fullFamily == family;
    }

    private static double? ClockGhz()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return null;
        double best = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("cpu MHz", StringComparison.Ordinal)) continue;
            var value = line[(line.IndexOf(':') + 1)..].Trim();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz)) best = Math.Max(best, mhz);
        }
        return best > 0 ? best / 1000 : null;
    }
}
