using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Tests.Reference;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class TokenMixingHeadsTests
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void MixesARangeOfHeadsLikeTheReferenceLoops(KernelIsa isa)
    {
        // Up to two registers of channels per head (one, two, partly filled), token counts that leave every tile height,
        // and any range of heads: the other heads' output channels must stay as they were.
        int width = KernelIsas.Width(isa);
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 5], Gen.Int[1, 2 * width], Gen.Int).Sample((tokens, heads, perHead, seed) =>
        {
            var random = new Random(seed);
            int c = heads * perHead, hidden = 4 * tokens;
            int start = random.Next(heads), end = random.Next(start + 1, heads + 1);
            float[] x = RandomFloats(random, tokens * c);
            var w1 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, hidden * tokens)).ToArray();
            var b1 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, hidden)).ToArray();
            var w2 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, tokens * hidden)).ToArray();
            var b2 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, tokens)).ToArray();
            var stream = new TokenMixingStream(w1, b1, w2, b2, isa);
            var y = Enumerable.Repeat(-7f, x.Length).ToArray();
            // Scratch of exactly the advertised size, filled with NaN: every float the kernel reads must be written first.
            var scratch = Enumerable.Repeat(float.NaN, TokenMixingHeads.ScratchSize(end - start, perHead, tokens, hidden, isa)).ToArray();
            TokenMixingHeads.Run(x, y, c, start, end, stream, scratch);
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < perHead; j++)
                {
                    var actual = Enumerable.Range(0, tokens).Select(n => y[n * c + j * heads + h]).ToArray();
                    if (h < start || h >= end)
                    {
                        Assert.All(actual, v => Assert.Equal(-7f, v));
                        continue;
                    }
                    // Head h's channel j (input channel h·perHead + j) must come out on channel j·heads + h.
                    double[] row = Enumerable.Range(0, tokens).Select(n => (double)x[n * c + h * perHead + j]).ToArray();
                    double[] mixed = TorchReference.Linear(TorchReference.Gelu(TorchReference.Linear(row, tokens, w1[h], b1[h], hidden)),
                        hidden, w2[h], b2[h], tokens);
                    AssertClose(actual, mixed, $"{isa} tokens {tokens} heads [{start}, {end}) of {heads} head {h} channel {j}");
                }
        }, iter: 60);
    }

    [Fact]
    public void RefusesWideHeadsAndShortScratch()
    {
        var isa = KernelIsas.Best;
        int wide = 2 * KernelIsas.Width(isa) + 1;
        Assert.False(TokenMixingHeads.Fits(1, wide, isa));
        Assert.False(TokenMixingHeads.Fits(2, 4, isa));
        float[][] One(int n) => [new float[n]];
        var stream = new TokenMixingStream(One(8 * 2), One(8), One(2 * 8), One(2), isa);
        var x = new float[2 * wide];
        Assert.Throws<ArgumentException>(() => TokenMixingHeads.Run(x, new float[x.Length], wide, 0, 1, stream, new float[100_000]));
        var narrow = new float[2 * 4];
        var scratch = new float[TokenMixingHeads.ScratchSize(1, 4, 2, 8, isa) - 1];
        Assert.Throws<ArgumentException>(() => TokenMixingHeads.Run(narrow, new float[narrow.Length], 4, 0, 1, stream, scratch));
    }

    [Fact]
    public void LayerGivesOneImageTheSameMixAsABatch()
    {
        // One image runs the register-row form, a batch of two the packed GEMM forms: both must mix alike.
        var random = new Random(5);
        int heads = 4, perHead = 16, tokens = 9, hidden = 36, c = heads * perHead;
        var w1 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, hidden * tokens)).ToArray();
        var b1 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, hidden)).ToArray();
        var w2 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, tokens * hidden)).ToArray();
        var b2 = Enumerable.Range(0, heads).Select(_ => RandomFloats(random, tokens)).ToArray();
        var layer = new TokenMixingLayer("mix", 0, 1, c, tokens, w1, b1, w2, b2);
        float[] pair = RandomFloats(random, 2 * tokens * c);
        float[] Run(TensorShape shape, float[] input)
        {
            var values = new[] { input, new float[shape.Size] };
            layer.Run(new LayerArgs(values, [shape, shape], layer, 1));
            return values[1];
        }
        var batch = Run(new TensorShape(2, 3, 3, c), pair);
        var single = Run(new TensorShape(1, 3, 3, c), pair[..(tokens * c)]);
        for (int i = 0; i < single.Length; i++) Assert.True(Math.Abs(single[i] - batch[i]) <= 1e-5f * Math.Max(1, Math.Abs(batch[i])), $"value {i}: {single[i]} vs {batch[i]}");
    }
}
