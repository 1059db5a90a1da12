using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The fp32 peak of this CPU, measured rather than looked up: fused multiply-adds on <see cref="Chains"/> independent
/// register chains (enough to cover the FMA latency on every pipe), on the same instruction set and SIMD wrappers the
/// kernels use. A table keyed on CPU family goes stale with each new core, and nominal clocks are not what a busy
/// core runs at; the measurement includes both.
/// </summary>
public static unsafe class FmaPeak
{
    /// <summary>Independent accumulator chains per thread: FMA latency (4 cycles) × 2 pipes = 8 in flight, plus slack.</summary>
    public const int Chains = 12;

    private const float Scale = 0.999f, Offset = 0.001f; // a ← a·0.999 + 0.001 converges to 1: no overflow, no denormals
    private static readonly TimeSpan TrialTime = TimeSpan.FromMilliseconds(5);
    private const int Trials = 9;

    /// <summary>
    /// Best GFLOP/s of <paramref name="threads"/> threads running FMA chains at once on <paramref name="isa"/>
    /// (2 FLOP per lane per FMA), over several short trials so a moment's preemption does not lower it. More threads
    /// than cores (or SMT siblings sharing FMA pipes) add nothing, as on the real machine.
    /// </summary>
    public static double MeasureGflops(KernelIsa isa, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!KernelIsas.IsSupported(isa)) throw new ArgumentException($"{isa} is not supported on this CPU", nameof(isa));
        long iterations = Calibrate(isa);
        double flops = 2.0 * KernelIsas.Width(isa) * Chains * iterations * threads;
        double best = 0;
        for (int trial = 0; trial < Trials; trial++)
            best = Math.Max(best, flops / RunConcurrently(isa, iterations, threads).TotalSeconds / 1e9);
        return best;
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> steps of every chain on <paramref name="isa"/> and returns the sum of lane 0
    /// of the chains (chain k starts at (k + 1)/10), so the work cannot be optimised away and tests can check it.
    /// </summary>
    public static float Run(KernelIsa isa, long iterations) => isa switch
    {
        KernelIsa.Avx512 => Run<Avx512Simd, Vector512<float>>(iterations),
        KernelIsa.Avx2 => Run<Avx2Simd, Vector256<float>>(iterations),
        _ => Run<PortableSimd, Vector<float>>(iterations),
    };

    /// <summary>Iterations that take about <see cref="TrialTime"/> on one thread (doubling from a small count).</summary>
    private static long Calibrate(KernelIsa isa)
    {
        Run(isa, 1); // compiles the kernel, which must not count as run time
        for (long iterations = 1 << 12; ; iterations *= 2)
        {
            long start = Stopwatch.GetTimestamp();
            Run(isa, iterations);
            if (Stopwatch.GetElapsedTime(start) >= TrialTime || iterations >= 1L << 34) return iterations;
        }
    }

    /// <summary>
    /// From the first worker starting to the last finishing, timed inside the workers so thread creation and joining
    /// do not count.
    /// </summary>
    private static TimeSpan RunConcurrently(KernelIsa isa, long iterations, int threads)
    {
        using var start = new Barrier(threads);
        var began = new long[threads];
        var ended = new long[threads];
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                began[index] = Stopwatch.GetTimestamp();
                Run(isa, iterations);
                ended[index] = Stopwatch.GetTimestamp();
            }) { IsBackground = true };
            workers[t].Start();
        }
        foreach (var worker in workers) worker.Join();
        return Stopwatch.GetElapsedTime(began.Min(), ended.Max());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Run<TS, TV>(long iterations) where TS : ISimd<TV> where TV : struct
    {
        TV m = TS.Splat(Scale), c = TS.Splat(Offset);
        TV a0 = TS.Splat(0.1f), a1 = TS.Splat(0.2f), a2 = TS.Splat(0.3f), a3 = TS.Splat(0.4f), a4 = TS.Splat(0.5f), a5 = TS.Splat(0.6f);
        TV a6 = TS.Splat(0.7f), a7 = TS.Splat(0.8f), a8 = TS.Splat(0.9f), a9 = TS.Splat(1.0f), a10 = TS.Splat(1.1f), a11 = TS.Splat(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TS.MultiplyAdd(a0, m, c);
            a1 = TS.MultiplyAdd(a1, m, c);
            a2 = TS.MultiplyAdd(a2, m, c);
            a3 = TS.MultiplyAdd(a3, m, c);
            a4 = TS.MultiplyAdd(a4, m, c);
            a5 = TS.MultiplyAdd(a5, m, c);
            a6 = TS.MultiplyAdd(a6, m, c);
            a7 = TS.MultiplyAdd(a7, m, c);
            a8 = TS.MultiplyAdd(a8, m, c);
            a9 = TS.MultiplyAdd(a9, m, c);
            a10 = TS.MultiplyAdd(a10, m, c);
            a11 = TS.MultiplyAdd(a11, m, c);
        }

        // Lane 0 of each chain, summed in chain order. Not through a span of the chains: that would keep them in
        // memory inside the loop, and the store-to-load round trip would serialise the chains.
        float* lanes = stackalloc float[TS.Width];
        return Lane0<TS, TV>(a0, lanes) + Lane0<TS, TV>(a1, lanes) + Lane0<TS, TV>(a2, lanes) + Lane0<TS, TV>(a3, lanes)
            + Lane0<TS, TV>(a4, lanes) + Lane0<TS, TV>(a5, lanes) + Lane0<TS, TV>(a6, lanes) + Lane0<TS, TV>(a7, lanes)
            + Lane0<TS, TV>(a8, lanes) + Lane0<TS, TV>(a9, lanes) + Lane0<TS, TV>(a10, lanes) + Lane0<TS, TV>(a11, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lane0<TS, TV>(TV v, float* lanes) where TS : ISimd<TV> where TV : struct
    {
        TS.Store(lanes, v);
        return lanes[0];
    }
}
