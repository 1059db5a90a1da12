using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class TransposedAttentionKernelTests
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void MatchesReferenceForBothLayouts(KernelIsa isa)
    {
        // Token counts from one to the largest the kernel takes (every tile height, full and part-filled lane registers),
        // key widths that are not a register multiple, value widths of one to four registers (odd counts leave a
        // one-register tile).
        Gen.Select(Gen.Int[1, 64], Gen.Int[1, 3], Gen.Int[1, 40], Gen.Int[1, 4], Gen.Bool, Gen.Int).Sample((tokens, heads, keyDim, valueRegisters, grouped, seed) =>
            AssertMatchesReference(isa, tokens, heads, keyDim, valueRegisters, grouped, seed), iter: 60);
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void MatchesReferenceInQueryBlocksBeyondSixtyFourTokens(KernelIsa isa)
    {
        // Past 64 tokens the queries go in blocks of two registers: odd token counts leave a part-filled last block (and a
        // one-register one where fewer than a register's worth remain), key widths off a register multiple, and value
        // widths wider or narrower than the key count so the normalisation lands on the outputs or on the probabilities.
        Gen.Select(Gen.Int[65, 160], Gen.Int[1, 2], Gen.Int[1, 40], Gen.Int[1, 12], Gen.Bool, Gen.Int).Sample((tokens, heads, keyDim, valueRegisters, grouped, seed) =>
            AssertMatchesReference(isa, tokens, heads, keyDim, valueRegisters, grouped, seed), iter: 25);
    }

    private static void AssertMatchesReference(KernelIsa isa, int tokens, int heads, int keyDim, int valueRegisters, bool grouped, int seed)
    {
        int valueDim = valueRegisters * KernelIsas.Width(isa);
        var layout = grouped ? AttentionLayout.Grouped(heads * valueDim, heads) : AttentionLayout.Interleaved(heads, keyDim, valueDim);
        float[] qkv = RandomFloats(new Random(seed), tokens * layout.Channels, -2f, 2f);
        Assert.True(TransposedAttentionKernel.Fits(layout, isa));
        AssertClose(RunAllHeads(qkv, tokens, layout, isa), TransformerKernelTests.ReferenceAttention(qkv, tokens, layout), $"{isa} {layout} tokens {tokens}");
    }

    /// <summary>Every head, with scratch of exactly the advertised size filled with NaN: every float the kernel reads must be written first.</summary>
    private static float[] RunAllHeads(float[] qkv, int tokens, AttentionLayout layout, KernelIsa isa)
    {
        var scratch = Enumerable.Repeat(float.NaN, TransposedAttentionKernel.ScratchSize(tokens, layout, isa)).ToArray();
        var actual = new float[tokens * layout.OutputChannels];
        for (int h = 0; h < layout.Heads; h++) TransposedAttentionKernel.Run(qkv, actual, tokens, layout, h, scratch, isa);
        return actual;
    }

    [Theory]
    [InlineData(256, 144)]
    [InlineData(512, 144)]
    [InlineData(256, 145)]
    [InlineData(512, 97)]
    public void MatchesReferenceAtVitShapesOnEveryIsa(int dim, int tokens)
    {
        // ViT-T and ViT-S attention (8 heads of 32 and 64 channels, 12×12 tokens), and odd token counts at the same widths.
        var layout = AttentionLayout.Grouped(dim, 8);
        float[] qkv = RandomFloats(new Random(dim + tokens), tokens * layout.Channels, -3f, 3f);
        var expected = TransformerKernelTests.ReferenceAttention(qkv, tokens, layout);
        foreach (var isa in KernelIsas.Supported)
        {
            Assert.True(TransposedAttentionKernel.Fits(layout, isa));
            AssertClose(RunAllHeads(qkv, tokens, layout, isa), expected, $"{isa} dim {dim} tokens {tokens}");
        }
    }

    [Fact]
    public void WritesOnlyItsOwnHeadsChannels()
    {
        var isa = KernelIsas.Best;
        var layout = AttentionLayout.Interleaved(3, 8, KernelIsas.Width(isa));
        int tokens = 7;
        float[] qkv = RandomFloats(new Random(3), tokens * layout.Channels);
        var output = Enumerable.Repeat(-5f, tokens * layout.OutputChannels).ToArray();
        TransposedAttentionKernel.Run(qkv, output, tokens, layout, 1, new float[TransposedAttentionKernel.ScratchSize(tokens, layout, isa)], isa);
        for (int n = 0; n < tokens; n++)
            for (int ch = 0; ch < layout.OutputChannels; ch++)
            {
                bool own = ch / layout.ValueDim == 1;
                Assert.True(own ? output[n * layout.OutputChannels + ch] != -5f : output[n * layout.OutputChannels + ch] == -5f, $"token {n} channel {ch}");
            }
    }

    [Fact]
    public void RefusesShapesItDoesNotTake()
    {
        var isa = KernelIsas.Best;
        int width = KernelIsas.Width(isa);
        // Value widths off a register multiple stay on the packed GEMM kernel, at any token count.
        Assert.False(TransposedAttentionKernel.Fits(AttentionLayout.Interleaved(2, 8, width + 1), isa));
        Assert.False(TransposedAttentionKernel.Fits(AttentionLayout.Interleaved(2, 8, 3 * width - 1), isa));
        Assert.True(TransposedAttentionKernel.Fits(AttentionLayout.Grouped(256, 8), isa));
        var layout = AttentionLayout.Interleaved(2, 8, width);
        Assert.Throws<ArgumentException>(() => TransposedAttentionKernel.Run(new float[4 * layout.Channels], new float[4 * layout.OutputChannels], 4, layout, 0,
            new float[TransposedAttentionKernel.ScratchSize(4, layout, isa) - 1], isa));
    }
}
