using System.Diagnostics;
using Faceprint.Core.Kernels;

namespace Faceprint.Tests.Core;

/// <summary>The FMA-throughput peak: the chains compute what a scalar loop does, and the engine's GEMM cannot beat it.</summary>
public sealed class FmaPeakTests
{
    [Fact]
    public void EveryInstructionSetRunsTheChainsAsAScalarFusedLoopWould()
    {
        const int iterations = 1000;
        float expected = 0;
        for (int k = 0; k < FmaPeak.Chains; k++)
        {
            float a = (k + 1) / 10f;
            for (int i = 0; i < iterations; i++) a = MathF.FusedMultiplyAdd(a, 0.999f, 0.001f);
            expected += a;
        }

        foreach (var isa in KernelIsas.Supported)
            Assert.Equal(expected, FmaPeak.Run(isa, iterations));
    }

    [Fact]
    public void TheMeasuredPeakIsPositiveAndBoundsWhatTheGemmAchievesOnOneThread()
    {
        double peak = FmaPeak.MeasureGflops(KernelIsas.Best, 1);
        Assert.True(double.IsFinite(peak) && peak > 0, $"{peak}");

        // A compute-bound GEMM (256³, in cache) on the same ISA: the fastest of many runs against the best peak trial.
        // Its FMAs are the chains' FMAs plus loads, so it stays below; 10 % covers timer and preemption noise.
        const int n = 256;
        var random = new Random(5);
        float[] a = [.. Enumerable.Range(0, n * n).Select(_ => random.NextSingle())], b = [.. Enumerable.Range(0, n * n).Select(_ => random.NextSingle())];
        var weights = new GemmWeights(b, n, n, new float[n], Activation.None, KernelIsas.Best);
        var c = new float[n * n];
        double bestMs = double.MaxValue;
        for (int run = 0; run < 40; run++)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Run(a, n, weights, c, 0, n);
            bestMs = Math.Min(bestMs, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double gemmGflops = 2.0 * n * n * n / (bestMs * 1e6);
        Assert.True(gemmGflops <= 1.10 * peak, $"GEMM {gemmGflops:F1} GFLOP/s above the measured peak {peak:F1}");
    }
}
