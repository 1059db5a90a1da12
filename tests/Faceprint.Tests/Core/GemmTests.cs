using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class GemmTests
{
    internal sealed record GemmCase(int M, int K, int N, int RowStart, int RowEnd, int Seed);

    // M up to 13 covers several four-row blocks plus 1–3 leftover rows; K and N up to 40 cover SIMD tails at any width.
    private static readonly Gen<GemmCase> Cases =
        from m in Gen.Int[1, 13]
        from k in Gen.Int[1, 40]
        from n in Gen.Int[1, 40]
        from start in Gen.Int[0, m]
        from end in Gen.Int[start, m]
        from seed in Gen.Int
        select new GemmCase(m, k, n, start, end, seed);

    [Fact]
    public void MatchesReferenceOnTheRequestedRowsAndLeavesOthersAlone()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.M * c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var output = new float[c.M * c.N];
            Array.Fill(output, float.NaN);
            Gemm.Run(a, b, bias, output, c.K, c.N, c.RowStart, c.RowEnd);
            var expected = RefGemm(a, b, bias, c.M, c.K, c.N);
            int from = c.RowStart * c.N, to = c.RowEnd * c.N;
            AssertClose(output.AsSpan(from, to - from), expected.AsSpan(from, to - from), $"{c}");
            for (int i = 0; i < output.Length; i++)
                if (i < from || i >= to) Assert.True(float.IsNaN(output[i]), $"{c}: wrote element {i} outside rows [{c.RowStart},{c.RowEnd})");
        }, iter: 300);
    }

    [Fact]
    public void FullRangeEqualsAnySplitIntoRanges()
    {
        Gen.Select(Cases, Gen.Int[0, 13]).Sample((c, cut) =>
        {
            var random = new Random(c.Seed);
            float[] a = RandomFloats(random, c.M * c.K), b = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var whole = new float[c.M * c.N];
            Gemm.Run(a, b, bias, whole, c.K, c.N, 0, c.M);
            var pieces = new float[c.M * c.N];
            int mid = Math.Min(cut, c.M);
            Gemm.Run(a, b, bias, pieces, c.K, c.N, 0, mid);
            Gemm.Run(a, b, bias, pieces, c.K, c.N, mid, c.M);
            AssertClose(pieces, whole, $"{c}, cut {mid}");
        });
    }

    [Fact]
    public void HandWorkedExample()
    {
        // [1 2; 3 4; 5 6] · [1 0 2; 0 1 3] + [10 20 30]
        float[] a = [1, 2, 3, 4, 5, 6], b = [1, 0, 2, 0, 1, 3], bias = [10, 20, 30];
        var c = new float[9];
        Gemm.Run(a, b, bias, c, 2, 3, 0, 3);
        Assert.Equal([11f, 22f, 38f, 13f, 24f, 48f, 15f, 26f, 58f], c);
    }

    [Fact]
    public void ZeroRowsOfAGiveTheBias()
    {
        // One-row path skips zero entries of A; the result must still be exactly the bias.
        float[] a = new float[5 * 3], b = RandomFloats(new Random(1), 3 * 17), bias = RandomFloats(new Random(2), 17);
        var c = new float[5 * 17];
        Gemm.Run(a, b, bias, c, 3, 17, 0, 5);
        for (int r = 0; r < 5; r++) Assert.Equal(bias, c.AsSpan(r * 17, 17).ToArray());
    }
}
