using CsCheck;
using Faceprint.Core.Kernels;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

public sealed class ActivationSoftmaxTests
{
    private static readonly Gen<(int Rows, int Channels, int Seed)> Shapes = Gen.Select(Gen.Int[1, 12], Gen.Int[1, 40], Gen.Int);

    [Fact]
    public void SoftmaxMatchesReferenceAndRowsSumToOne()
    {
        Shapes.Sample((rows, channels, seed) =>
        {
            var data = RandomFloats(new Random(seed), rows * channels, -8, 8);
            var expected = RefSoftmax(ToDouble(data), channels);
            SoftmaxKernel.Run(data, channels);
            AssertClose(data, expected, $"rows {rows} channels {channels}");
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int i = 0; i < channels; i++)
                {
                    Assert.InRange(data[r * channels + i], 0f, 1f);
                    sum += data[r * channels + i];
                }
                Assert.InRange(sum, 1 - 1e-5, 1 + 1e-5);
            }
        });
    }

    [Fact]
    public void SoftmaxIsStableForLargeInputs()
    {
        Shapes.Sample((rows, channels, seed) =>
        {
            // Logits around ±1000 overflow exp() without the max subtraction.
            var random = new Random(seed);
            var data = RandomFloats(random, rows * channels, -5, 5);
            for (int i = 0; i < data.Length; i++) data[i] += random.Next(2) == 0 ? 1000f : -1000f;
            var expected = RefSoftmax(ToDouble(data), channels);
            SoftmaxKernel.Run(data, channels);
            Assert.All(data, v => Assert.True(float.IsFinite(v)));
            AssertClose(data, expected, $"rows {rows} channels {channels}");
        });
    }

    [Fact]
    public void SoftmaxHandExamples()
    {
        float[] data = [1000, 1000, 0, 0, 0, 0, 1000, -1000];
        SoftmaxKernel.Run(data, 2);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1f, 0f], data);
        float[] one = [42f, -7f];
        SoftmaxKernel.Run(one, 1);
        Assert.Equal([1f, 1f], one);
    }

    [Fact]
    public void ActivationKindsAndSlopes()
    {
        Assert.Equal(ActivationKind.None, Activation.None.Kind);
        Assert.Equal(ActivationKind.Relu, Activation.Relu.Kind);
        Assert.Null(Activation.Relu.Slopes);
        float[] slopes = [0.25f];
        var p = Activation.PRelu(slopes);
        Assert.Equal(ActivationKind.PRelu, p.Kind);
        Assert.Same(slopes, p.Slopes);
    }
}
