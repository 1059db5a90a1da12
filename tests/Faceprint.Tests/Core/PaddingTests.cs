using CsCheck;
using Faceprint.Core.Tensors;

namespace Faceprint.Tests.Core;

public sealed class PaddingTests
{
    [Theory]
    [InlineData(112, 3, 2, 56, 0)] // total pad 1: TensorFlow puts it after
    [InlineData(112, 3, 1, 112, 1)]
    [InlineData(7, 7, 1, 7, 3)]
    [InlineData(5, 2, 2, 3, 0)]
    [InlineData(6, 5, 2, 3, 1)] // total 3: 1 before, 2 after
    [InlineData(1, 7, 2, 1, 3)]
    [InlineData(12, 3, 2, 6, 0)]
    public void SameIsCeilOfInputOverStrideWithHalfTheTotalBefore(int input, int kernel, int stride, int output, int before) =>
        Assert.Equal((output, before), Padding.Same.Resolve(input, kernel, stride));

    [Theory]
    [InlineData(112, 3, 2, 1, 56)]
    [InlineData(112, 3, 1, 1, 112)]
    [InlineData(56, 3, 2, 1, 28)]
    [InlineData(7, 7, 1, 0, 1)]
    [InlineData(12, 3, 2, 0, 5)]
    [InlineData(5, 5, 2, 2, 3)]
    public void ExplicitIsInputPlusTwicePadMinusKernelOverStridePlusOne(int input, int kernel, int stride, int pad, int output) =>
        Assert.Equal((output, pad), Padding.Symmetric(pad).Resolve(input, kernel, stride));

    [Theory]
    [InlineData(12, 3, 1, 10)]
    [InlineData(12, 3, 2, 5)]
    [InlineData(7, 7, 1, 1)]
    [InlineData(24, 3, 2, 11)]
    public void ValidHasNoPadding(int input, int kernel, int stride, int output) =>
        Assert.Equal((output, 0), Padding.Valid.Resolve(input, kernel, stride));

    [Fact]
    public void ModesAndAmounts()
    {
        Assert.Equal(PaddingMode.Valid, Padding.Valid.Mode);
        Assert.Equal(PaddingMode.Same, Padding.Same.Mode);
        Assert.Equal(new Padding(PaddingMode.Explicit, 2), Padding.Symmetric(2));
    }

    [Fact]
    public void SameOutputWindowsAlwaysTouchTheInput()
    {
        // Every SAME window overlaps at least one real pixel, so max pooling never sees a window of pure padding.
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 7], Gen.Int[1, 3]).Sample((input, kernel, stride) =>
        {
            var (output, before) = Padding.Same.Resolve(input, kernel, stride);
            Assert.Equal((input + stride - 1) / stride, output);
            int total = Math.Max((output - 1) * stride + kernel - input, 0);
            Assert.Equal(total / 2, before);
            Assert.True(before < kernel);
            Assert.True((output - 1) * stride - before <= input - 1);
        });
    }

    [Fact]
    public void ResolveMatchesReferenceWheneverTheKernelFits()
    {
        Gen.Select(Gen.Int[1, 40], CoreReference.KernelSize, Gen.Int[1, 3], Gen.Int[0, 3]).Sample((input, kernel, stride, pad) =>
        {
            foreach (var padding in new[] { Padding.Valid, Padding.Same, Padding.Symmetric(pad) })
            {
                var expected = CoreReference.Resolve(padding, input, kernel, stride);
                if (expected is null) continue; // kernel larger than the padded input: see the skipped test below
                Assert.Equal(expected.Value, padding.Resolve(input, kernel, stride));
            }
        });
    }

    [Theory]
    [InlineData(2, 3, 2, 0)]
    [InlineData(4, 5, 2, 0)]
    [InlineData(6, 7, 2, 0)]
    [InlineData(2, 5, 2, 1)]
    public void KernelLargerThanPaddedInputGivesNoOutput(int input, int kernel, int stride, int pad)
    {
        var padding = pad == 0 ? Padding.Valid : Padding.Symmetric(pad);
        Assert.True(padding.Resolve(input, kernel, stride).Output <= 0,
            $"{input} px, {kernel}x{kernel} kernel, stride {stride}, pad {pad}: output {padding.Resolve(input, kernel, stride).Output}");
    }
}
