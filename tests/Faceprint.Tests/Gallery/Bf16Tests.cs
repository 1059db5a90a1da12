using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

public sealed class Bf16Tests
{
    [Theory]
    [InlineData(1f, (ushort)0x3F80)]
    [InlineData(-2f, (ushort)0xC000)]
    [InlineData(0f, (ushort)0x0000)]
    // 1 + 2^-8 lies halfway between two bfloat16 values: ties go to the even one (1); a hair above rounds up.
    [InlineData(1.00390625f, (ushort)0x3F80)]
    [InlineData(1.0039064f, (ushort)0x3F81)]
    public void Rounds_to_nearest_even(float value, ushort bits)
    {
        Assert.Equal(bits, Bf16.FromSingle(value));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(192)]
    [InlineData(512)]
    [InlineData(2000)]
    public void Dot_is_within_the_error_bound_of_the_fp32_dot(int dimension)
    {
        var rng = new Random(dimension);
        float worst = 0;
        for (var trial = 0; trial < 200; trial++)
        {
            var a = Unit(rng, dimension);
            // Every other trial nearly parallel, where the dot is largest and so is the rounding error.
            var b = trial % 2 == 0 ? Unit(rng, dimension) : Unit(new Random(trial), dimension, a);
            var rounded = new ushort[dimension];
            Bf16.FromSingle(b, rounded);
            worst = Math.Max(worst, Math.Abs(Bf16.Dot(a, rounded) - EmbeddingMath.Dot(a, b)));
        }

        Assert.InRange(worst, 0, Bf16.ErrorBound);
    }

    private static float[] Unit(Random rng, int dimension, float[]? near = null)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
            v[i] = (near?[i] ?? 0) + (float)(rng.NextDouble() * 2 - 1) * (near is null ? 1 : 0.01f);
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
