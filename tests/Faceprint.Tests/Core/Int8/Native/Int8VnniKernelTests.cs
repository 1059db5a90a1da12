using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Kernels.Int8.Native;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8.Native;

/// <summary>
/// The emitted AVX-512 VNNI kernel against plain integer loops, and the whole GEMM on it against every other int8 path,
/// bit for bit. On a machine where the kernel cannot run (no avx512_vnni, not Linux x64) the tests that need it pass
/// without running it, as their names say.
/// </summary>
public sealed unsafe class Int8VnniKernelTests
{
    private static bool Available => Int8VnniKernels.Instance is not null;

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in Enumerable.Range(1, Int8VnniKernels.Rows))
            foreach (int steps in new[] { 1, 2, 3, 8, 33 })
                foreach (int panels in new[] { 1, 2, 3, 5 })
                    data.Add(rows, steps, panels);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelSumsEqualPlainLoopsWhereTheCpuHasAvx512Vnni(int rows, int steps, int panels)
    {
        if (!Available) return;
        var random = new Random(rows * 1000 + steps * 10 + panels);
        int lda = steps * 4 + 8; // rows further apart than K, as a strided caller could pass them
        var a = new byte[rows * lda];
        var b = new byte[panels * steps * 64];
        random.NextBytes(a);
        random.NextBytes(b);
        // The extremes: 255 · −128 and 255 · 127 in every lane of the first step.
        for (int r = 0; r < rows; r++) a[r * lda] = a[r * lda + 1] = 255;
        for (int lane = 0; lane < 16; lane++) (b[lane * 4], b[lane * 4 + 1]) = (0x80, 0x7F);
        int count = panels * rows * 16;
        var sums = new int[count + 16];
        Array.Fill(sums, 0x5EED);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        fixed (int* ps = sums)
            Int8VnniKernels.Instance!.Run(rows, pa, lda, pb, steps, ps, panels);
        for (int p = 0; p < panels; p++)
            for (int r = 0; r < rows; r++)
                for (int lane = 0; lane < 16; lane++)
                {
                    int expected = 0;
                    for (int s = 0; s < steps; s++)
                        for (int j = 0; j < 4; j++)
                            expected += a[r * lda + s * 4 + j] * (sbyte)b[((p * steps + s) * 16 + lane) * 4 + j];
                    Assert.True(expected == sums[(p * rows + r) * 16 + lane], $"panel {p} row {r} lane {lane}: {sums[(p * rows + r) * 16 + lane]}, expected {expected}");
                }
        // Nothing past the block is written.
        Assert.All(sums[count..], v => Assert.Equal(0x5EED, v));
    }

    public static TheoryData<int, int, int, int> GemmShapes() => new()
    {
        // M, K, N, activation (0 none, 1 ReLU, 2 PReLU): row tails of 1–11, K % 4 ≠ 0, an odd step count, N with a
        // half panel (N % 16 ≤ 8), a masked tail and an odd panel count, and enough rows for several tiles.
        { 1, 3, 5, 2 },
        { 7, 64, 16, 1 },
        { 13, 37, 40, 2 },
        { 25, 128, 24, 0 },
        { 36, 515, 72, 2 },
        { 12, 1800, 33, 1 },
    };

    [Theory]
    [MemberData(nameof(GemmShapes))]
    public void GemmOutputsEqualEveryOtherPathWhereTheCpuHasAvx512Vnni(int m, int k, int n, int activation)
    {
        if (!Available) return;
        var random = new Random(m * k + n);
        float[] a = RandomFloats(random, m * k, -1.5f, 1.5f), w = RandomFloats(random, k * n), bias = RandomFloats(random, n);
        float[] residual = RandomFloats(random, m * n);
        var act = activation switch { 1 => Activation.Relu, 2 => Activation.PRelu(RandomFloats(random, n, 0, 0.5f)), _ => Activation.None };
        var q = QuantParams.FromRange(-1f, 1.2f);
        int kp = (k + 3) / 4 * 4;
        var aCodes = new byte[m * kp + 3];
        random.NextBytes(aCodes);
        var (floats, codes) = Outputs(Int8Isa.Avx512Vnni);
        foreach (var isa in Int8Isas.Supported.Where(i => i != Int8Isa.Avx512Vnni))
        {
            var (otherFloats, otherCodes) = Outputs(isa);
            Assert.Equal(otherFloats, floats);
            Assert.Equal(otherCodes, codes);
        }

        (float[] Floats, byte[] Codes) Outputs(Int8Isa isa)
        {
            var weights = Int8GemmWeights.FromFloat(w, k, n, bias, act, q, isa);
            var c = new float[m * n];
            var scratch = new byte[Int8Gemm.ScratchBytes(weights)];
            Int8Gemm.Run(a, k, weights, c, 0, m, scratch, residual);
            // Codes in and codes out (A read in place: its rows are K-padded).
            var codes = new byte[m * n];
            fixed (byte* pa = aCodes)
            fixed (byte* pc = codes)
            fixed (byte* ps = scratch)
                Int8Gemm.RunUnchecked(null, pa, kp, weights, null, pc, QuantParams.FromRange(-4f, 4f), null, 0, m, ps);
            return (c, codes);
        }
    }

    [Fact]
    public void TheEmittedPathIsOfferedExactlyWhereItsKernelsExist()
    {
        Assert.Equal(Available, Int8Isas.IsSupported(Int8Isa.Avx512Vnni));
        Assert.Equal(Available, Int8Isas.Supported.Contains(Int8Isa.Avx512Vnni));
        if (Available && Environment.GetEnvironmentVariable("FACEPRINT_INT8_ISA") is null) Assert.Equal(Int8Isa.Avx512Vnni, Int8Isas.Best);
        // The kernels never exist off Linux x64 or where the CPU lacks avx512_vnni.
        if (!OperatingSystem.IsLinux() || !Int8VnniKernels.CpuSupports()) Assert.False(Available);
        // …and always do on Linux x64 where it has it (executable pages are mapped the ordinary way).
        else if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64) Assert.True(Available);
    }

    [Fact]
    public void TheCpuidCheckAgreesWithTheKernelsCpuFlagsOnLinux()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo")) return;
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported || !System.Runtime.Intrinsics.X86.Avx512BW.IsSupported) return;
        Assert.Equal(flags.Contains("avx512_vnni"), Int8VnniKernels.CpuSupports());
    }
}
