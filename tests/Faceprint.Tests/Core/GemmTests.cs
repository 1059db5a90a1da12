using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>The packed GEMM on every instruction set this CPU runs, against the double-precision reference.</summary>
public sealed class GemmTests
{
    /// <summary>Activation 0/1/2/3/4 = None/ReLU/PReLU/GELU/ReLU6; Extra pads A's row stride beyond K.</summary>
    internal sealed record GemmCase(KernelIsa Isa, int M, int K, int N, int Extra, int RowStart, int RowEnd, int Activation, bool Residual, int Seed);

    private static readonly Gen<KernelIsa> Isas = Gen.Int[0, KernelIsas.Supported.Count - 1].Select(i => KernelIsas.Supported[i]);

    // M up to 170 covers several 12- and 6-row tiles plus every tail, in both walk orders (ranges of at most 144 rows
    // go panel by panel, taller ones row tile by row tile); N up to 70 covers two 32-wide panels, a half
    // panel and masked tails on every width; K from 1 exercises the shortest inner loops.
    private static readonly Gen<GemmCase> Cases =
        from isa in Isas
        from m in Gen.Int[1, 170]
        from k in Gen.Int[1, 48]
        from n in Gen.Int[1, 70]
        from extra in Gen.Int[0, 3]
        from start in Gen.Int[0, m]
        from end in Gen.Int[start, m]
        from act in Gen.Int[0, 4]
        from residual in Gen.Bool
        from seed in Gen.Int
        select new GemmCase(isa, m, k, n, extra, start, end, act, residual, seed);

    // K past the GEMM's K block (partial sums wait in C between blocks) and N past a block of panels, with every tail.
    private static readonly Gen<GemmCase> BlockedCases =
        from isa in Isas
        from m in Gen.Int[1, 30]
        from k in Gen.Int[Gemm.KBlock - 3, 2 * Gemm.KBlock + 40]
        from n in Gen.Int[1, 70]
        from extra in Gen.Int[0, 3]
        from start in Gen.Int[0, m]
        from end in Gen.Int[start, m]
        from act in Gen.Int[0, 4]
        from residual in Gen.Bool
        from seed in Gen.Int
        select new GemmCase(isa, m, k, n, extra, start, end, act, residual, seed);

    internal static Activation MakeActivation(int kind, Random random, int n) => kind switch
    {
        1 => Activation.Relu,
        2 => Activation.PRelu(RandomFloats(random, n, 0, 0.5f)),
        3 => Activation.Gelu,
        4 => Activation.Relu6,
        _ => Activation.None,
    };

    /// <summary>act(A·B + bias) + residual, in double.</summary>
    private static double[] Expected(float[] a, int lda, float[] b, float[] bias, Activation act, float[]? residual, int m, int k, int n)
    {
        var dense = new float[m * k];
        for (int i = 0; i < m; i++) a.AsSpan(i * lda, k).CopyTo(dense.AsSpan(i * k));
        var c = RefGemm(dense, b, bias, m, k, n);
        if (act.Kind == ActivationKind.Relu) c = RefRelu(c);
        if (act.Kind == ActivationKind.PRelu) c = RefPRelu(c, act.Slopes!);
        if (act.Kind == ActivationKind.Gelu) c = Faceprint.Tests.Reference.TorchReference.Gelu(c);
        if (act.Kind == ActivationKind.Relu6) c = c.Select(v => Math.Clamp(v, 0, 6)).ToArray();
        if (residual is not null) c = RefAdd(c, ToDouble(residual));
        return c;
    }

    [Fact]
    public void MatchesReferenceOnTheRequestedRowsAndLeavesOthersAlone() => MatchesReference(Cases, 400);

    [Fact]
    public void KBlockedProductsMatchReferenceOnTheRequestedRowsAndLeaveOthersAlone() => MatchesReference(BlockedCases, 60);

    private static void MatchesReference(Gen<GemmCase> cases, int iterations)
    {
        cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            int lda = c.K + c.Extra;
            float[] a = RandomFloats(random, c.M * lda), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var act = MakeActivation(c.Activation, random, c.N);
            var residual = c.Residual && act.Kind != ActivationKind.Gelu ? RandomFloats(random, c.M * c.N) : null;
            var weights = new GemmWeights(b, c.K, c.N, bias, act, c.Isa);
            var output = new float[c.M * c.N];
            Array.Fill(output, float.NaN);
            Gemm.Run(a, lda, weights, output, c.RowStart, c.RowEnd, residual);
            var expected = Expected(a, lda, b, bias, act, residual, c.M, c.K, c.N);
            int from = c.RowStart * c.N, to = c.RowEnd * c.N;
            AssertClose(output.AsSpan(from, to - from), expected.AsSpan(from, to - from), $"{c}");
            for (int i = 0; i < output.Length; i++)
                if (i < from || i >= to) Assert.True(float.IsNaN(output[i]), $"{c}: wrote element {i} outside rows [{c.RowStart},{c.RowEnd})");
        }, iter: iterations);
    }

    [Fact]
    public void GeluWithAResidualIsRefused()
    {
        var weights = new GemmWeights(new float[6], 2, 3, new float[3], Activation.Gelu, KernelIsas.Best);
        var error = Assert.Throws<ArgumentException>(() => Gemm.Run(new float[2], 2, weights, new float[3], 0, 1, new float[3]));
        Assert.Contains("GELU", error.Message);
    }

    [Fact]
    public void FullRangeEqualsAnySplitIntoRanges()
    {
        Gen.Select(Cases, Gen.Int[0, 30]).Sample((c, cut) =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.M * c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var weights = new GemmWeights(b, c.K, c.N, bias, Activation.None, c.Isa);
            var whole = new float[c.M * c.N];
            Gemm.Run(a, c.K, weights, whole, 0, c.M);
            var pieces = new float[c.M * c.N];
            int mid = Math.Min(cut, c.M);
            Gemm.Run(a, c.K, weights, pieces, 0, mid);
            Gemm.Run(a, c.K, weights, pieces, mid, c.M);
            // Every row is computed by the same tile code whatever the split, so the results agree to the last bit.
            AssertClose(pieces, whole, $"{c}, cut {mid}", 0);
        });
    }

    [Fact]
    public void PrefetchingTheNextLayersWeightsChangesNoBit()
    {
        // The last panel fetches the next GEMM's first panel instead of reading past its own: only a cache hint.
        Gen.Select(Gen.OneOf(Cases, BlockedCases), Gen.Int[1, 600], Gen.Int[1, 70]).Sample((c, nextK, nextN) =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.M * c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var weights = new GemmWeights(b, c.K, c.N, bias, MakeActivation(c.Activation, random, c.N), c.Isa);
            var next = new GemmWeights(RandomFloats(random, nextK * nextN), nextK, nextN, new float[nextN], Activation.None, c.Isa);
            var residual = c.Residual && c.Activation != 3 ? RandomFloats(random, c.M * c.N) : null;
            var plain = new float[c.M * c.N];
            Gemm.Run(a, c.K, weights, plain, c.RowStart, c.RowEnd, residual);
            var linked = new float[c.M * c.N];
            Gemm.Run(a, c.K, weights, linked, c.RowStart, c.RowEnd, residual, next);
            AssertClose(linked, plain, c.ToString(), 0);
        }, iter: 200);
    }

    [Fact]
    public void PanelRangesTogetherEqualTheWholeProductAndWriteOnlyTheirColumns()
    {
        // K past a block and past a group of panels (blocks of panels on the wider ISAs), with GELU's separate pass.
        Gen.Select(BlockedCases, Gen.Int[0, 8]).Sample((c, cut) =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.M * c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var weights = new GemmWeights(b, c.K, c.N, bias, MakeActivation(c.Activation, random, c.N), c.Isa);
            var whole = new float[c.M * c.N];
            Gemm.Run(a, c.K, weights, whole, 0, c.M);
            int mid = Math.Min(cut, weights.Panels);
            var pieces = new float[c.M * c.N];
            Array.Fill(pieces, float.NaN);
            Gemm.RunPanels(a, c.K, weights, pieces, c.M, 0, mid);
            for (int i = 0; i < pieces.Length; i++)
                Assert.Equal(i % c.N < mid * weights.PanelWidth, !float.IsNaN(pieces[i]));
            Gemm.RunPanels(a, c.K, weights, pieces, c.M, mid, weights.Panels);
            AssertClose(pieces, whole, $"{c}, cut {mid}", 0);
        }, iter: 40);
    }

    [Theory]
    [InlineData(144, 1024, 256)]
    [InlineData(32, 2300, 200)]
    [InlineData(3136, 64, 128)]
    [InlineData(49, 512, 184)]
    [InlineData(196, 96, 48)]
    [InlineData(1, 512, 192)]
    [InlineData(7, 1152, 256)]
    public void ModelSizedProblemsMatchReferenceOnEveryIsa(int m, int k, int n)
    {
        var random = new Random(m * 31 + k * 7 + n);
        float[] a = RandomFloats(random, m * k), b = RandomFloats(random, k * n, -0.1f, 0.1f), bias = RandomFloats(random, n);
        var act = Activation.PRelu(RandomFloats(random, n, 0, 0.5f));
        var residual = RandomFloats(random, m * n);
        var expected = Expected(a, k, b, bias, act, residual, m, k, n);
        foreach (var isa in KernelIsas.Supported)
        {
            var output = new float[m * n];
            Gemm.Run(a, k, new GemmWeights(b, k, n, bias, act, isa), output, 0, m, residual);
            AssertClose(output, expected, $"{isa} {m}x{k}x{n}");
        }
    }

    [Fact]
    public void HandWorkedExample()
    {
        // [1 2; 3 4; 5 6] · [1 0 2; 0 1 3] + [10 20 30]
        float[] a = [1, 2, 3, 4, 5, 6], b = [1, 0, 2, 0, 1, 3], bias = [10, 20, 30];
        foreach (var isa in KernelIsas.Supported)
        {
            var c = new float[9];
            Gemm.Run(a, 2, new GemmWeights(b, 2, 3, bias, Activation.None, isa), c, 0, 3);
            Assert.Equal([11f, 22f, 38f, 13f, 24f, 48f, 15f, 26f, 58f], c);
        }
    }

    [Fact]
    public void FromOutInTransposesPyTorchLayout()
    {
        // weight [out=2, in=3]: out0 = a·(1,2,3), out1 = a·(4,5,6).
        float[] weight = [1, 2, 3, 4, 5, 6], a = [1, 1, 2];
        foreach (var isa in KernelIsas.Supported)
        {
            var c = new float[2];
            Gemm.Run(a, 3, GemmWeights.FromOutIn(weight, 3, 2, [0f, 0.5f], Activation.None, isa), c, 0, 1);
            Assert.Equal([9f, 21.5f], c);
        }
    }

    [Fact]
    public void BestIsaIsSupportedAndPortableAlwaysIs()
    {
        Assert.Contains(KernelIsa.Portable, KernelIsas.Supported);
        Assert.True(KernelIsas.IsSupported(KernelIsas.Best));
    }
}
