using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;

namespace Faceprint.Benchmarks;

/// <summary>
/// One layer wrapped in a network and a session with its input filled, so a kernel is timed through the same
/// public path inference takes (packing done at construction, buffers planned once).
/// </summary>
internal static class SingleLayer
{
    /// <summary>A ready session over the layer <paramref name="create"/> builds from (input id, output id).</summary>
    public static InferenceSession Session(Func<int, int, Layer> create, TensorShape input, int threads)
    {
        var builder = new NetworkBuilder();
        int output = builder.Add(create(NetworkBuilder.Input, builder.NewValue()));
        var session = new InferenceSession(builder.Build("bench", input.C, output), threads);
        Fill(session.PrepareInput(input), seed: 1);
        return session;
    }

    /// <summary>Uniform values in [-1, 1).</summary>
    public static float[] Random(int count, int seed)
    {
        var values = new float[count];
        Fill(values, seed);
        return values;
    }

    private static void Fill(Span<float> values, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() * 2 - 1;
    }
}
