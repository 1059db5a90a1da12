using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>The streaming one-row GEMV on every instruction set this CPU runs, against the reference and the GEMM.</summary>
public sealed class GemvTests
{
    private static readonly Gen<KernelIsa> Isas = Gen.Int[0, KernelIsas.Supported.Count - 1].Select(i => KernelIsas.Supported[i]);

    // K past the GEMM's K block; N over several groups of four panels on every width, with a group short of four and a
    // partial last panel (both left to the GEMM); any panel range.
    private static readonly Gen<(KernelIsa Isa, int K, int N, int Start, int End, int Seed)> Cases =
        from isa in Isas
        from k in Gen.Int[1, 2 * Gemm.KBlock + 40]
        from n in Gen.Int[1, 300]
        let panels = (n + 2 * KernelIsas.Width(isa) - 1) / (2 * KernelIsas.Width(isa))
        from start in Gen.Int[0, panels]
        from end in Gen.Int[start, panels]
        from seed in Gen.Int
        select (isa, k, n, start, end, seed);

    [Fact]
    public void MatchesReferenceAndGemmBitsAndWritesOnlyItsPanels()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var weights = new GemmWeights(b, c.K, c.N, bias, Activation.None, c.Isa);
            var gemv = new float[c.N];
            var gemm = new float[c.N];
            Array.Fill(gemv, float.NaN);
            Array.Fill(gemm, float.NaN);
            Gemv.RunPanels(a, weights, gemv, c.Start, c.End);
            Gemm.RunPanels(a, c.K, weights, gemm, 1, c.Start, c.End);
            // Same FMAs in the same order per column as the GEMM, so the same bits; NaN where neither wrote.
            Assert.Equal(gemm, gemv);
            var expected = RefGemm(a, b, bias, 1, c.K, c.N);
            int pw = weights.PanelWidth;
            for (int j = 0; j < c.N; j++)
            {
                bool inside = j >= c.Start * pw && j < c.End * pw;
                Assert.Equal(inside, !float.IsNaN(gemv[j]));
                if (inside) AssertClose(gemv.AsSpan(j, 1), expected.AsSpan(j, 1), $"{c} column {j}", 1e-4 * Math.Sqrt(c.K));
            }
        }, iter: 150);
    }

    [Fact]
    public void HeadSizedProductMatchesReferenceOnEveryIsa()
    {
        // The ViT-T feature head's shape at batch 1 (flattened 144 tokens × 256 → 256): two full stream groups.
        const int k = 144 * 256, n = 256;
        var random = new Random(5);
        float[] a = RandomFloats(random, k), b = RandomFloats(random, k * n, -0.01f, 0.01f), bias = RandomFloats(random, n);
        var expected = RefGemm(a, b, bias, 1, k, n);
        foreach (var isa in KernelIsas.Supported)
        {
            var weights = new GemmWeights(b, k, n, bias, Activation.None, isa);
            var output = new float[n];
            Gemv.RunPanels(a, weights, output, 0, weights.Panels);
            AssertClose(output, expected, $"{isa}");
        }
    }

    [Fact]
    public void ServesOnlyOneRowWithoutActivation()
    {
        var plain = new GemmWeights(new float[6], 2, 3, new float[3], Activation.None, KernelIsas.Best);
        var relu = new GemmWeights(new float[6], 2, 3, new float[3], Activation.Relu, KernelIsas.Best);
        Assert.True(Gemv.Serves(plain, 1));
        Assert.False(Gemv.Serves(plain, 2));
        Assert.False(Gemv.Serves(relu, 1));
        Assert.Throws<ArgumentException>(() => Gemv.RunPanels(new float[2], relu, new float[3], 0, 1));
    }
}
