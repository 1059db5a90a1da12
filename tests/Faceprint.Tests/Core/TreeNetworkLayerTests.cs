using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Tests.Core;

/// <summary>
/// The layers the anti-spoofing tree network added (leaky ReLU, average pool without padded positions, compare,
/// multiply), each against a plain loop on random data.
/// </summary>
public sealed class TreeNetworkLayerTests
{
    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 4 - 2)).ToArray();
    }

    /// <summary>Runs the one layer <paramref name="make"/> builds for the output value id it is given.</summary>
    private static float[] Run(Func<int, Layer> make, TensorShape shape, float[] input)
    {
        var builder = new NetworkBuilder();
        var layer = make(builder.NewValue());
        builder.Add(layer);
        var network = builder.Build("t", shape.C, layer.Output);
        var session = new InferenceSession(network, threads: 1);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        return session.Output(0).ToArray();
    }

    [Fact]
    public void LeakyReluKeepsPositivesAndScalesNegatives()
    {
        var x = Random(37, 1);
        var y = new float[x.Length];
        LeakyReluKernel.Apply(x, y, 0.2f);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] >= 0 ? x[i] : 0.2f * x[i], y[i]);
        var layer = Run(o => new LeakyReluLayer("l", NetworkBuilder.Input, o, 0.2f), new TensorShape(1, 1, 1, 37), x);
        Assert.Equal(y, layer);
    }

    [Theory]
    [InlineData(16, 16, 3, 2, true)]
    [InlineData(7, 5, 3, 2, true)]
    [InlineData(9, 9, 2, 2, false)]
    public void AveragePoolAveragesOnlyInsideThePicture(int h, int w, int k, int s, bool same)
    {
        const int c = 5;
        var shape = new TensorShape(2, h, w, c);
        var x = Random(shape.Size, 2);
        var padding = same ? Padding.Same : Padding.Valid;
        var y = Run(o => new AveragePool2dLayer("p", NetworkBuilder.Input, o, k, s, padding), shape, x);

        var (oh, top) = padding.Resolve(h, k, s);
        var (ow, left) = padding.Resolve(w, k, s);
        Assert.Equal(2 * oh * ow * c, y.Length);
        for (int n = 0; n < 2; n++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        int used = 0;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * s - top + ky, ix = ox * s - left + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                sum += x[((n * h + iy) * w + ix) * c + ch];
                                used++;
                            }
                        Assert.InRange(y[((n * oh + oy) * ow + ox) * c + ch], sum / used - 1e-5, sum / used + 1e-5);
                    }
    }

    [Fact]
    public void CompareWritesOneOrZero()
    {
        float[] x = [-1f, 0f, 0.5f, -0f, 2f];
        var shape = new TensorShape(1, 1, 1, x.Length);
        Assert.Equal([0f, 1f, 1f, 1f, 1f], Run(o => new CompareLayer("ge", NetworkBuilder.Input, o, Comparison.GreaterOrEqual, 0f), shape, x));
        Assert.Equal([1f, 0f, 0f, 0f, 0f], Run(o => new CompareLayer("lt", NetworkBuilder.Input, o, Comparison.Less, 0f), shape, x));
        Assert.Throws<ModelFormatException>(() => new CompareLayer("nan", 0, 1, Comparison.Less, float.NaN));
    }

    [Fact]
    public void MultiplyIsElementwise()
    {
        var shape = new TensorShape(1, 3, 3, 7);
        var x = Random(shape.Size, 3);
        var builder = new NetworkBuilder();
        int relu = builder.Add(new LeakyReluLayer("l", NetworkBuilder.Input, builder.NewValue(), 0.5f));
        int product = builder.Add(new MultiplyLayer("m", NetworkBuilder.Input, relu, builder.NewValue()));
        var session = new InferenceSession(builder.Build("t", 7, product), threads: 1);
        x.CopyTo(session.PrepareInput(shape));
        session.Run();
        var y = session.Output(0);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * (x[i] >= 0 ? x[i] : 0.5f * x[i]), y[i]);
    }
}
