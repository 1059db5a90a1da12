using CsCheck;
using Faceprint.Core.Kernels;
using Faceprint.Tests.Reference;
using Xunit.Abstractions;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class TransformerKernelTests(ITestOutputHelper output)
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void GeluMatchesTheExactErfFormEverywhere(KernelIsa isa)
    {
        // Every 1e-3 over [-12, 12] plus the tails; lengths that are not a SIMD multiple exercise the tail path.
        var xs = Enumerable.Range(-12_000, 24_001).Select(i => i / 1000f).Concat([-80f, -30f, -9.5f, 9.5f, 30f, 80f, 1e-6f, -1e-6f]).ToArray();
        var y = new float[xs.Length];
        GeluKernel.Apply(xs, y, isa);
        double worst = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i], exact = 0.5 * x * (1 + TorchReference.Erf(x / Math.Sqrt(2)));
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / Math.Max(1, Math.Abs(x)));
        }
        output.WriteLine($"{isa}: max |gelu − exact|/max(1,|x|) = {worst:E2}");
        Assert.True(worst <= 2e-7, $"gelu error {worst:E2}");
    }

    [Fact]
    public void NormalCdfIsAccurateToAboutOneEMinus7()
    {
        int width = System.Numerics.Vector<float>.Count;
        double worst = 0;
        var lanes = new float[width];
        for (int i = -9000; i <= 9000; i += width)
        {
            for (int k = 0; k < width; k++) lanes[k] = (i + k) / 1000f;
            var result = GeluKernel.PhiMinusHalf(new System.Numerics.Vector<float>(lanes));
            for (int k = 0; k < width; k++)
            {
                double exact = 0.5 * TorchReference.Erf(lanes[k] / Math.Sqrt(2));
                worst = Math.Max(worst, Math.Abs(result[k] - exact));
            }
        }
        output.WriteLine($"max |Φ − ½ − exact| over [-9, 9] = {worst:E2}");
        // Φ − ½ lies in [−½, ½], where one fp32 ulp is up to 3e-8: a few ulps of rounding in the two Horner chains.
        Assert.True(worst <= 1.5e-7, $"Φ error {worst:E2}");
    }

    [Fact]
    public void Relu6ClampsToZeroAndSix()
    {
        float[] x = [-3f, -0f, 0.5f, 5.99f, 6f, 7f, float.PositiveInfinity, 2f, -1f, 100f, 3f];
        var y = new float[x.Length];
        Relu6Kernel.Apply(x, y);
        Assert.Equal(x.Select(v => Math.Clamp(v, 0f, 6f)), y);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void LayerNormMatchesReference(KernelIsa isa)
    {
        // Up to 70 channels: several full registers of every width plus each tail length.
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 70], Gen.Int).Sample((rows, c, seed) =>
        {
            var random = new Random(seed);
            float[] x = RandomFloats(random, rows * c, -3, 5), gamma = RandomFloats(random, c), beta = RandomFloats(random, c);
            var y = new float[x.Length];
            LayerNormKernel.Run(x, y, c, gamma, beta, 1e-5f, 0, rows, isa);
            var w = Weights(("n.weight", gamma), ("n.bias", beta));
            AssertClose(y, TorchReference.LayerNorm(ToDouble(x), c, w, "n", 1e-5), $"{isa} rows {rows} c {c}");
            LayerNormKernel.Run(x, y, c, [], [], 1e-5f, 0, rows, isa);
            var plain = Weights(("n.weight", Enumerable.Repeat(1f, c).ToArray()), ("n.bias", new float[c]));
            AssertClose(y, TorchReference.LayerNorm(ToDouble(x), c, plain, "n", 1e-5), $"{isa} no affine, rows {rows} c {c}");
        }, iter: 200);
    }

    [Fact]
    public void GroupNormMatchesReference()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 7], Gen.Int[1, 4], Gen.Int[1, 9], Gen.Int).Sample((n, side, groups, perGroup, seed) =>
        {
            var random = new Random(seed);
            int c = groups * perGroup, pixels = side * side;
            float[] x = RandomFloats(random, n * pixels * c, -2, 4), gamma = RandomFloats(random, c), beta = RandomFloats(random, c);
            var y = new float[x.Length];
            GroupNormKernel.Run(x, y, gamma, beta, pixels, groups, 1e-5f, 0, n);
            var w = Weights(("g.weight", gamma), ("g.bias", beta));
            for (int b = 0; b < n; b++)
            {
                var image = Chw.FromNhwc(x.AsSpan(b * pixels * c, pixels * c), side, side, c);
                var expected = TorchReference.GroupNorm(image, w, "g", groups, 1e-5);
                var actual = Chw.FromNhwc(y.AsSpan(b * pixels * c, pixels * c), side, side, c);
                AssertClose(actual.Data.Select(v => (float)v).ToArray(), expected.Data, $"n {n} side {side} groups {groups}x{perGroup}");
            }
        }, iter: 200);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void OneGroupNormMatchesReferenceOnEveryIsa(KernelIsa isa)
    {
        // MHLA's GroupNorm(1, C): channel counts around every register width (tails in each pixel and at the image's
        // end), offsets far from zero so the variance is not the mean square.
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 7], Gen.Int[1, 70], Gen.Int).Sample((n, side, c, seed) =>
        {
            var random = new Random(seed);
            int pixels = side * side;
            float[] x = RandomFloats(random, n * pixels * c, 3, 7), gamma = RandomFloats(random, c), beta = RandomFloats(random, c);
            var y = Enumerable.Repeat(float.NaN, x.Length + 5).ToArray();
            GroupNormKernel.Run(x, y, gamma, beta, pixels, 1, 1e-5f, 0, n, isa);
            var w = Weights(("g.weight", gamma), ("g.bias", beta));
            for (int b = 0; b < n; b++)
            {
                var expected = TorchReference.GroupNorm(Chw.FromNhwc(x.AsSpan(b * pixels * c, pixels * c), side, side, c), w, "g", 1, 1e-5);
                var actual = Chw.FromNhwc(y.AsSpan(b * pixels * c, pixels * c), side, side, c);
                AssertClose(actual.Data.Select(v => (float)v).ToArray(), expected.Data, $"{isa} n {n} side {side} c {c}");
            }
            // Nothing is written past the images.
            Assert.All(y[^5..], v => Assert.True(float.IsNaN(v)));
        }, iter: 150);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void AttentionMatchesReferenceForBothLayouts(KernelIsa isa)
    {
        // Up to 80 tokens and 40 value channels: several GEMM panels and row blocks, with partial ones at the ends.
        Gen.Select(Gen.Int[1, 80], Gen.Int[1, 4], Gen.Int[1, 40], Gen.Int[1, 40], Gen.Bool, Gen.Int).Sample((tokens, heads, dk, dv, grouped, seed) =>
        {
            var layout = grouped ? AttentionLayout.Grouped(heads * dk, heads) : AttentionLayout.Interleaved(heads, dk, dv);
            var random = new Random(seed);
            float[] qkv = RandomFloats(random, tokens * layout.Channels, -2, 2);
            var actual = new float[tokens * layout.OutputChannels];
            var scratch = new float[AttentionKernel.ScratchSize(tokens, layout, isa)];
            for (int h = 0; h < heads; h++) AttentionKernel.Run(qkv, actual, tokens, layout, h, scratch, isa);
            AssertClose(actual, ReferenceAttention(qkv, tokens, layout), $"{isa} {layout} tokens {tokens}");
        }, iter: 100);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public unsafe void SimdSoftmaxExponentialsTimesTheirInverseSumMatchReferenceOnStridedRowsOfAnyLength(KernelIsa isa)
    {
        Gen.Select(Gen.Int[1, 70], Gen.Int[1, 4], Gen.Int[0, 5], Gen.Int).Sample((length, rows, gap, seed) =>
        {
            int stride = length + gap;
            float[] data = RandomFloats(new Random(seed), rows * stride, -30, 30);
            var expected = data.Select(v => (double)v).ToArray();
            var reference = new double[rows * length];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < length; j++) reference[r * length + j] = data[r * stride + j];
            TorchReference.SoftmaxRows(reference, length);
            var inverseSums = new float[rows];
            fixed (float* p = data)
            fixed (float* s = inverseSums)
                SimdSoftmax.Rows(p, rows, length, stride, s, isa);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < stride; j++)
                {
                    // Row values are e^(x − max) ≤ 1; the gap between rows is left alone.
                    double got = j < length ? (double)data[r * stride + j] * inverseSums[r] : data[r * stride + j];
                    double want = j < length ? reference[r * length + j] : expected[r * stride + j];
                    Assert.True(Math.Abs(got - want) <= 1e-6, $"{isa} length {length} row {r} col {j}: {got} vs {want}");
                    if (j < length) Assert.InRange(data[r * stride + j], 0f, 1f);
                }
        }, iter: 200);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public unsafe void SimdSoftmaxGivesEachRowTheSameBitsWhetherItRunsAloneOrBesideAnother(KernelIsa isa)
    {
        // Rows go in pairs (two independent chains) with an odd one alone: the pairing must not change a row's result.
        Gen.Select(Gen.Int[1, 70], Gen.Int[2, 5], Gen.Int).Sample((length, rows, seed) =>
        {
            float[] together = RandomFloats(new Random(seed), rows * length, -30, 30), alone = (float[])together.Clone();
            float[] sumsTogether = new float[rows], sumsAlone = new float[rows];
            fixed (float* t = together)
            fixed (float* a = alone)
            fixed (float* st = sumsTogether)
            fixed (float* sa = sumsAlone)
            {
                SimdSoftmax.Rows(t, rows, length, length, st, isa);
                for (int r = 0; r < rows; r++) SimdSoftmax.Rows(a + r * length, 1, length, length, sa + r, isa);
            }
            Assert.Equal(alone, together);
            Assert.Equal(sumsAlone, sumsTogether);
        }, iter: 100);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public unsafe void AttentionRowScalingMultipliesEachRowByItsFactorAndLeavesTheGapAlone(KernelIsa isa)
    {
        // Widths around one to three registers on every ISA (a head's dv), with a tail, rows strided like an output's heads.
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 13], Gen.Int[0, 9], Gen.Int).Sample((width, rows, gap, seed) =>
        {
            int stride = width + gap;
            var random = new Random(seed);
            float[] data = RandomFloats(random, rows * stride), factors = RandomFloats(random, rows, 0.01f, 2f), before = (float[])data.Clone();
            fixed (float* p = data)
            fixed (float* f = factors)
                AttentionKernel.ScaleRows(p, rows, width, stride, f, isa);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < stride; j++)
                    Assert.Equal(j < width ? before[r * stride + j] * factors[r] : before[r * stride + j], data[r * stride + j]);
        }, iter: 200);
    }

    [Fact]
    public void AttentionWritesOnlyItsOwnHeadsChannels()
    {
        var layout = AttentionLayout.Interleaved(3, 8, 20);
        const int tokens = 37;
        float[] qkv = RandomFloats(new Random(5), tokens * layout.Channels, -2, 2);
        var output = Enumerable.Repeat(float.NaN, tokens * layout.OutputChannels).ToArray();
        AttentionKernel.Run(qkv, output, tokens, layout, 1, new float[layout.ScratchSize(tokens)]);
        for (int n = 0; n < tokens; n++)
            for (int ch = 0; ch < layout.OutputChannels; ch++)
                Assert.Equal(ch / layout.ValueDim != 1, float.IsNaN(output[n * layout.OutputChannels + ch]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TokenMixingInterleavesHeadsOntoChannels(bool weightRows)
    {
        // Both ways of running the products: up to 3 × 40 columns covers one, several and a partly filled last panel of
        // the weight-rows form, and every GEMM row-block height of the token-rows form.
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 10], Gen.Int[1, 4], Gen.Int[1, 40], Gen.Int).Sample((images, tokens, heads, perHead, seed) =>
        {
            var random = new Random(seed);
            int c = heads * perHead, hidden = 4 * tokens;
            float[] x = RandomFloats(random, images * tokens * c);
            var w1 = new float[heads][];
            var b1 = new float[heads][];
            var w2 = new float[heads][];
            var b2 = new float[heads][];
            for (int h = 0; h < heads; h++)
            {
                w1[h] = RandomFloats(random, hidden * tokens);
                b1[h] = RandomFloats(random, hidden);
                w2[h] = RandomFloats(random, tokens * hidden);
                b2[h] = RandomFloats(random, tokens);
            }
            var y = new float[x.Length];
            // Scratch of exactly the advertised size, filled with NaN: every float either form reads must be written first.
            var scratch = Enumerable.Repeat(float.NaN, TokenMixingKernel.ScratchSize(images, perHead, tokens, hidden, KernelIsas.Best)).ToArray();
            for (int h = 0; h < heads; h++)
            {
                var weights = new TokenMixingWeights(w1[h], b1[h], w2[h], b2[h], KernelIsas.Best);
                if (weightRows) TokenMixingKernel.RunWeightRows(x, y, images, c, heads, h, weights, scratch);
                else TokenMixingKernel.RunTokenRows(x, y, images, c, heads, h, weights, scratch);
            }
            for (int b = 0; b < images; b++)
                for (int h = 0; h < heads; h++)
                    for (int j = 0; j < perHead; j++)
                    {
                        // Head h's channel j (input channel h·perHead + j) must come out on channel j·heads + h.
                        double[] row = Enumerable.Range(0, tokens).Select(n => (double)x[(b * tokens + n) * c + h * perHead + j]).ToArray();
                        double[] mixed = TorchReference.Linear(TorchReference.Gelu(TorchReference.Linear(row, tokens, w1[h], b1[h], hidden)),
                            hidden, w2[h], b2[h], tokens);
                        var actual = Enumerable.Range(0, tokens).Select(n => y[(b * tokens + n) * c + j * heads + h]).ToArray();
                        AssertClose(actual, mixed, $"image {b} head {h} channel {j}");
                    }
        }, iter: 100);
    }

    [Theory]
    [InlineData(KernelIsa.Avx512)]
    [InlineData(KernelIsa.Avx2)]
    public void TokenMixingPicksTheFormWithFewerLanes(KernelIsa isa)
    {
        // FaceLiVT-M's 7×7 stage (16 channels per head): token rows pad 49 tokens to 64 and 196 hidden to 208 (AVX-512),
        // weight rows compute 16 columns exactly. FaceLiVT-S (10 per head) would pad its 10 columns to a whole register.
        Assert.True(TokenMixingKernel.UsesWeightRows(1, 16, 49, 196, isa));
        Assert.False(TokenMixingKernel.UsesWeightRows(1, 10, 49, 196, isa));
        Assert.True(TokenMixingKernel.UsesWeightRows(32, 10, 49, 196, isa));
    }

    [Fact]
    public void TokenMixingRefusesShortScratch()
    {
        var weights = new TokenMixingWeights(new float[8 * 2], new float[8], new float[2 * 8], new float[2], KernelIsas.Best);
        var x = new float[2 * 16];
        var scratch = new float[TokenMixingKernel.ScratchSize(1, 4, 2, 8, KernelIsas.Best) - 1];
        Assert.Throws<ArgumentException>(() => TokenMixingKernel.Run(x, new float[x.Length], 1, 16, 4, 0, weights, scratch));
    }

    [Fact]
    public void GlobalAveragePoolAveragesEveryChannel()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 50], Gen.Int[1, 40], Gen.Int).Sample((n, pixels, c, seed) =>
        {
            float[] x = RandomFloats(new Random(seed), n * pixels * c);
            var y = new float[n * c];
            GlobalAveragePoolKernel.Run(x, y, pixels, c, 0, n);
            var expected = new double[n * c];
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++)
                    expected[b * c + ch] = Enumerable.Range(0, pixels).Average(p => (double)x[(b * pixels + p) * c + ch]);
            AssertClose(y, expected, $"n {n} pixels {pixels} c {c}");
        }, iter: 100);
    }

    internal static double[] ReferenceAttention(float[] qkv, int tokens, AttentionLayout l)
    {
        var output = new double[tokens * l.OutputChannels];
        for (int h = 0; h < l.Heads; h++)
        {
            double Q(int n, int d) => qkv[n * l.Channels + l.QueryOffset + h * l.HeadStride + d];
            double K(int n, int d) => qkv[n * l.Channels + l.KeyOffset + h * l.HeadStride + d];
            double V(int n, int d) => qkv[n * l.Channels + l.ValueOffset + h * l.HeadStride + d];
            var scores = new double[tokens * tokens];
            for (int i = 0; i < tokens; i++)
                for (int j = 0; j < tokens; j++)
                    scores[i * tokens + j] = Enumerable.Range(0, l.KeyDim).Sum(d => Q(i, d) * K(j, d)) / Math.Sqrt(l.KeyDim);
            TorchReference.SoftmaxRows(scores, tokens);
            for (int i = 0; i < tokens; i++)
                for (int d = 0; d < l.ValueDim; d++)
                    output[i * l.OutputChannels + h * l.ValueDim + d] = Enumerable.Range(0, tokens).Sum(j => scores[i * tokens + j] * V(j, d));
        }
        return output;
    }

    private static Faceprint.Core.Weights.WeightSet Weights(params (string Name, float[] Data)[] tensors) =>
        new(tensors.Select(t => new Faceprint.Core.Weights.NamedTensor(t.Name, [t.Data.Length], t.Data)));
}
