using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Tests.Reference;

namespace Faceprint.Tests.Models;

/// <summary>Running networks on random images and comparing them, for the model family tests.</summary>
internal static class ModelTestSupport
{
    /// <summary>Relative tolerance of every model comparison: |a − b| ≤ 1e-4·(1 + |b|).</summary>
    public const double Tolerance = 1e-4;

    public static float[] RandomImages(int batch, int side, int seed)
    {
        var random = new Random(seed);
        var data = new float[batch * side * side * 3];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }

    public static float[] Run(Network network, float[] images, int batch, int side, int threads = 1)
    {
        var session = new InferenceSession(network, threads);
        images.CopyTo(session.PrepareInput(new TensorShape(batch, side, side, 3)));
        session.Run();
        return session.Output(0).ToArray();
    }

    /// <summary>Image <paramref name="index"/> of an NHWC batch as the C×H×W the references take.</summary>
    public static Chw Image(float[] images, int index, int side) =>
        Chw.FromNhwc(images.AsSpan(index * side * side * 3, side * side * 3), side, side, 3);

    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]) || float.IsNaN(expected[i]), $"NaN at {i}");
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        }
        return worst;
    }
}
