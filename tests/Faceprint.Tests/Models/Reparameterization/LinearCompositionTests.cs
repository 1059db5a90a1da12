using Faceprint.Models.Reparameterization;

namespace Faceprint.Tests.Models.Reparameterization;

public sealed class LinearCompositionTests
{
    [Theory]
    [InlineData(5, 7, 3)]
    [InlineData(16, 32, 64)]
    [InlineData(1, 1, 1)]
    public void ComposedMapEqualsApplyingBothInTurn(int inputs, int mid, int outputs)
    {
        var random = new Random(inputs * 31 + mid * 7 + outputs);
        float[] inner = Random(random, mid * inputs), innerBias = Random(random, mid);
        float[] outer = Random(random, outputs * mid), outerBias = Random(random, outputs);
        var (weight, bias) = LinearComposition.Compose(inner, innerBias, outer, outerBias);
        Assert.Equal(outputs * inputs, weight.Length);
        Assert.Equal(outputs, bias.Length);
        for (int trial = 0; trial < 4; trial++)
        {
            var x = Random(random, inputs);
            // Plain loops, the two maps one after the other.
            var hidden = new double[mid];
            for (int m = 0; m < mid; m++)
            {
                hidden[m] = innerBias[m];
                for (int i = 0; i < inputs; i++) hidden[m] += inner[m * inputs + i] * (double)x[i];
            }
            for (int o = 0; o < outputs; o++)
            {
                double expected = outerBias[o], actual = bias[o];
                for (int m = 0; m < mid; m++) expected += outer[o * mid + m] * hidden[m];
                for (int i = 0; i < inputs; i++) actual += weight[o * inputs + i] * (double)x[i];
                Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"output {o}: {actual} vs {expected}");
            }
        }
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => LinearComposition.Compose(new float[6], new float[4], new float[8], new float[2]));
        Assert.Throws<ArgumentException>(() => LinearComposition.Compose(new float[6], new float[3], new float[7], new float[2]));
    }

    private static float[] Random(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
