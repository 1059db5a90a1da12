using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>
/// The layers TFLite graph import adds for BlazeFace (ReLU, channel padding, bilinear resize, reshape, concatenation),
/// each run through a session against a plain loop over its definition.
/// </summary>
public sealed class DetectorLayerTests
{
    private static float[] Run(Func<NetworkBuilder, int> build, TensorShape input, float[] data, int threads = 2)
    {
        var builder = new NetworkBuilder();
        int output = build(builder);
        var session = new InferenceSession(builder.Build("t", input.C, output), threads);
        data.CopyTo(session.PrepareInput(input));
        session.Run();
        return session.Output(0).ToArray();
    }

    [Fact]
    public void ReluZeroesNegativesOnly()
    {
        var shape = new TensorShape(2, 3, 5, 7);
        var x = RandomFloats(new Random(1), shape.Size);
        var y = Run(b => b.Add(new ReluLayer("relu", NetworkBuilder.Input, b.NewValue())), shape, x);
        AssertClose(y, x.Select(v => v > 0 ? v : 0f).ToArray(), "relu", 0);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(3, 5)]
    public void PadChannelsPutsZerosAroundEveryPixel(int before, int after)
    {
        var shape = new TensorShape(2, 4, 3, 5);
        var x = RandomFloats(new Random(2), shape.Size);
        var y = Run(b => b.Add(new PadChannelsLayer("pad", NetworkBuilder.Input, b.NewValue(), before, after)), shape, x);
        int oc = shape.C + before + after;
        var expected = new float[shape.Pixels * oc];
        for (int p = 0; p < shape.Pixels; p++)
            for (int c = 0; c < shape.C; c++)
                expected[p * oc + before + c] = x[p * shape.C + c];
        AssertClose(y, expected, "pad", 0);
    }

    [Theory]
    [InlineData(6, 6, 12, 12, false, true)]
    [InlineData(5, 7, 12, 9, false, true)]
    [InlineData(6, 6, 12, 12, false, false)]
    [InlineData(4, 5, 7, 11, true, false)]
    [InlineData(8, 8, 3, 5, false, true)]
    public void ResizeBilinearMatchesTheSamplingFormula(int inH, int inW, int outH, int outW, bool alignCorners, bool halfPixel)
    {
        var shape = new TensorShape(2, inH, inW, 3);
        var x = RandomFloats(new Random(3), shape.Size);
        var y = Run(b => b.Add(new ResizeBilinearLayer("up", NetworkBuilder.Input, b.NewValue(), outH, outW, new ResizeMapping(alignCorners, halfPixel))), shape, x);

        // Neighbours and weights straight from the definition: source = (o + ½)·in/out − ½ (or o·(in−1)/(out−1), or o·in/out), edge clamped.
        double Src(int o, int input, int output)
        {
            double s = alignCorners && output > 1 ? o * (input - 1.0) / (output - 1.0) : halfPixel ? (o + 0.5) * input / output - 0.5 : o * (double)input / output;
            return Math.Min(Math.Max(s, 0), input - 1);
        }
        var expected = new double[shape.N * outH * outW * shape.C];
        for (int n = 0; n < shape.N; n++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    for (int c = 0; c < shape.C; c++)
                    {
                        double sy = Src(oy, inH, outH), sx = Src(ox, inW, outW);
                        int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
                        double sum = 0;
                        for (int dy = 0; dy < 2; dy++)
                            for (int dx = 0; dx < 2; dx++)
                            {
                                double w = (dy == 0 ? 1 - (sy - y0) : sy - y0) * (dx == 0 ? 1 - (sx - x0) : sx - x0);
                                int yy = Math.Min(y0 + dy, inH - 1), xx = Math.Min(x0 + dx, inW - 1);
                                sum += w * x[((n * inH + yy) * inW + xx) * shape.C + c];
                            }
                        expected[((n * outH + oy) * outW + ox) * shape.C + c] = sum;
                    }
        AssertClose(y, expected, "resize", 1e-5);
    }

    [Fact]
    public void ReshapeKeepsValuesAndGivesTheNewShape()
    {
        var shape = new TensorShape(2, 4, 4, 6);
        var x = RandomFloats(new Random(4), shape.Size);
        var builder = new NetworkBuilder();
        int output = builder.Add(new ReshapeLayer("r", NetworkBuilder.Input, builder.NewValue(), new TensorShape(1, 1, 48, 2)));
        var network = builder.Build("t", 6, output);
        Assert.Equal(new TensorShape(2, 1, 48, 2), network.InferShapes(shape)[output]);
        var session = new InferenceSession(network, 1);
        x.CopyTo(session.PrepareInput(shape));
        session.Run();
        AssertClose(session.Output(0), x, "reshape", 0);
        Assert.Throws<InvalidOperationException>(() => network.InferShapes(new TensorShape(1, 4, 3, 6)));
    }

    [Theory]
    [InlineData(ConcatAxis.Height)]
    [InlineData(ConcatAxis.Width)]
    [InlineData(ConcatAxis.Channels)]
    public void ConcatJoinsAlongTheAxis(ConcatAxis axis)
    {
        // Two branches of one input (a ReLU and a channel pad or plain copy) give two values to join with known content.
        var shape = new TensorShape(2, 3, 4, 5);
        var x = RandomFloats(new Random(5), shape.Size);
        var builder = new NetworkBuilder();
        int a = builder.Add(new ReluLayer("a", NetworkBuilder.Input, builder.NewValue()));
        int b = builder.Add(new ReshapeLayer("b", NetworkBuilder.Input, builder.NewValue(), new TensorShape(1, 3, 4, 5)));
        int joined = builder.Add(new ConcatLayer("cat", [a, b, a], builder.NewValue(), axis));
        var session = new InferenceSession(builder.Build("t", 5, joined), 2);
        x.CopyTo(session.PrepareInput(shape));
        session.Run();

        var relu = x.Select(v => Math.Max(v, 0f)).ToArray();
        float[][] parts = [relu, x, relu];
        var o = session.OutputShape(0);
        Assert.Equal(axis switch
        {
            ConcatAxis.Height => shape with { H = 9 },
            ConcatAxis.Width => shape with { W = 12 },
            _ => shape with { C = 15 },
        }, o);
        var expected = new float[o.Size];
        for (int n = 0; n < o.N; n++)
            for (int h = 0; h < o.H; h++)
                for (int w = 0; w < o.W; w++)
                    for (int c = 0; c < o.C; c++)
                    {
                        int part = axis switch { ConcatAxis.Height => h / 3, ConcatAxis.Width => w / 4, _ => c / 5 };
                        int ih = axis == ConcatAxis.Height ? h % 3 : h, iw = axis == ConcatAxis.Width ? w % 4 : w, ic = axis == ConcatAxis.Channels ? c % 5 : c;
                        expected[((n * o.H + h) * o.W + w) * o.C + c] = parts[part][((n * 3 + ih) * 4 + iw) * 5 + ic];
                    }
        AssertClose(session.Output(0), expected, "concat", 0);
    }

    [Fact]
    public void ConcatRefusesMismatchedShapes()
    {
        var builder = new NetworkBuilder();
        int a = builder.Add(new PadChannelsLayer("a", NetworkBuilder.Input, builder.NewValue(), 0, 1));
        int joined = builder.Add(new ConcatLayer("cat", [NetworkBuilder.Input, a], builder.NewValue(), ConcatAxis.Width));
        Assert.Throws<InvalidOperationException>(() => builder.Build("t", 3, joined).InferShapes(new TensorShape(1, 2, 2, 3)));
        Assert.Throws<ArgumentException>(() => new ConcatLayer("one", [0], 1, ConcatAxis.Width));
    }
}
