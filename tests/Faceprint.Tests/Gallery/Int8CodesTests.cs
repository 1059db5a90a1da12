using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

public sealed class Int8CodesTests
{
    [Fact]
    public void Encode_maps_the_largest_component_to_127_and_rounds_the_rest()
    {
        var codes = new sbyte[4];
        var scale = Int8Codes.Encode([0.5f, -0.25f, 0.1f, 0f], codes);

        Assert.Equal(0.5f / 127, scale);
        Assert.Equal([127, -64, 25, 0], codes.Select(c => (int)c));
        Assert.Equal(0f, Int8Codes.Encode([0f, 0f, 0f, 0f], codes));
        Assert.All(codes, c => Assert.Equal(0, c));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(192)]
    [InlineData(512)]
    [InlineData(2000)]
    public void Rough_dot_is_within_its_error_bound_of_the_fp32_dot(int dimension)
    {
        var rng = new Random(dimension);
        for (var trial = 0; trial < 200; trial++)
        {
            var probe = Unit(rng, dimension);
            // Every other template nearly parallel to the probe, where the dot and so the rounding error is largest.
            var template = trial % 2 == 0 ? Unit(rng, dimension) : Unit(rng, dimension, probe);
            var codes = new sbyte[dimension];
            var scale = Int8Codes.Encode(template, codes);

            var rough = scale * Int8Codes.Dot(probe, codes);
            var bound = scale * Int8Codes.ErrorPerScale(probe) + Int8Codes.Slack;
            Assert.InRange(Math.Abs(rough - EmbeddingMath.Dot(probe, template)), 0, bound);
            // The bound must stay tight enough to rule most templates out, or the first pass would be pointless.
            Assert.True(bound < 0.05f, $"bound {bound} at {dimension}-d");
        }
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
