using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class SmallAttentionKernelTests
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void MatchesReferenceForBothLayouts(KernelIsa isa)
    {
        // Token counts from one to the largest the kernel takes (every tile height, full and part-filled lane registers),
        // key widths that are not a register multiple, value widths of one to four registers (odd counts leave a
        // one-register tile).
        int width = KernelIsas.Width(isa);
        Gen.Select(Gen.Int[1, 64], Gen.Int[1, 3], Gen.Int[1, 40], Gen.Int[1, 4], Gen.Bool, Gen.Int).Sample((tokens, heads, keyDim, valueRegisters, grouped, seed) =>
        {
            int valueDim = valueRegisters * width;
            var layout = grouped ? AttentionLayout.Grouped(heads * valueDim, heads) : AttentionLayout.Interleaved(heads, keyDim, valueDim);
            var random = new Random(seed);
            float[] qkv = RandomFloats(random, tokens * layout.Channels, -2f, 2f);
            // Scratch of exactly the advertised size, filled with NaN: every float the kernel reads must be written first.
            var scratch = Enumerable.Repeat(float.NaN, SmallAttentionKernel.ScratchSize(tokens, layout, isa)).ToArray();
            var actual = new float[tokens * layout.OutputChannels];
            Assert.True(SmallAttentionKernel.Fits(tokens, layout, isa));
            for (int h = 0; h < heads; h++) SmallAttentionKernel.Run(qkv, actual, tokens, layout, h, scratch, isa);
            AssertClose(actual, TransformerKernelTests.ReferenceAttention(qkv, tokens, layout), $"{isa} {layout} tokens {tokens}");
        }, iter: 60);
    }

    [Fact]
    public void WritesOnlyItsOwnHeadsChannels()
    {
        var isa = KernelIsas.Best;
        var layout = AttentionLayout.Interleaved(3, 8, KernelIsas.Width(isa));
        int tokens = 7;
        float[] qkv = RandomFloats(new Random(3), tokens * layout.Channels);
        var output = Enumerable.Repeat(-5f, tokens * layout.OutputChannels).ToArray();
        SmallAttentionKernel.Run(qkv, output, tokens, layout, 1, new float[SmallAttentionKernel.ScratchSize(tokens, layout, isa)], isa);
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
        Assert.False(SmallAttentionKernel.Fits(65, AttentionLayout.Interleaved(2, 8, width), isa));
        Assert.False(SmallAttentionKernel.Fits(49, AttentionLayout.Interleaved(2, 8, width + 1), isa));
        // ViT-T's attention (144 tokens) stays on the packed GEMM kernel.
        Assert.False(SmallAttentionKernel.Fits(144, AttentionLayout.Grouped(256, 8), isa));
        var layout = AttentionLayout.Interleaved(2, 8, width);
        Assert.Throws<ArgumentException>(() => SmallAttentionKernel.Run(new float[4 * layout.Channels], new float[4 * layout.OutputChannels], 4, layout, 0,
            new float[SmallAttentionKernel.ScratchSize(4, layout, isa) - 1], isa));
    }
}
