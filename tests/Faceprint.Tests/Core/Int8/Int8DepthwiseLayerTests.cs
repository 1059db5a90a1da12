using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The int8 depthwise layer in a session: codes from a quantize step, float or code output, tiny tensors included.</summary>
public sealed class Int8DepthwiseLayerTests
{
    [Theory]
    [InlineData(1, 2, 4, 1)] // 8 codes: too few spare bytes in the value's buffer for the kernel's read slack, so the layer copies
    [InlineData(6, 5, 40, 3)]
    public void QuantizeThenDepthwiseMatchesTheKernelOnTheSameCodes(int h, int w, int c, int kernel)
    {
        var random = new Random(h * 100 + c);
        var shape = new TensorShape(1, h, w, c);
        var q = QuantParams.FromRange(-1f, 1f);
        var bias = RandomFloats(random, c);
        var weights = Int8DepthwiseWeights.FromFloat(RandomFloats(random, c * kernel * kernel), c, kernel, bias, Activation.None, q, Int8DepthwiseIsas.Best);
        var network = new Network("dw", [
            new Int8QuantizeLayer("q", 0, 1, q),
            new Int8DepthwiseConvLayer("dw", 1, 2, weights, bias, 1, Padding.Same, null),
        ], 3, [2], c);
        var input = RandomFloats(random, shape.Size);
        var session = new InferenceSession(network);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();

        var codes = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
        for (int i = 0; i < shape.Size; i++) codes[i] = (byte)q.Quantize(input[i]);
        var g = ConvGeometry.Square(shape, c, kernel, 1, Padding.Same);
        var expected = new float[g.OutH * g.OutW * c];
        Int8DepthwiseKernel.Run(codes, weights, g, 0, g.OutH, expected);
        Assert.Equal(expected, session.Output(0).ToArray());
    }

    [Theory]
    [InlineData(1, 2, 3, 3)] // fewer channels than a vector: the scalar tail only
    [InlineData(5, 4, 21, 3)] // two 8-channel vectors and a tail per pixel
    [InlineData(7, 7, 64, 7)] // a GDConv: the kernel covers the map
    public void PerChannelQuantizeThenDepthwiseMatchesTheKernelOnEachChannelsCodes(int h, int w, int c, int kernel)
    {
        var random = new Random(h * 100 + c);
        var shape = new TensorShape(1, h, w, c);
        // Channels of very different ranges, as after a stem: each gets its own scale and zero point.
        var channels = Enumerable.Range(0, c).Select(ch => QuantParams.FromRange(-0.1f * (ch % 5), 0.2f + ch)).ToArray();
        var bias = RandomFloats(random, c);
        var weights = Int8DepthwiseWeights.FromFloat(RandomFloats(random, c * kernel * kernel), c, kernel, bias, Activation.PRelu(RandomFloats(random, c, 0, 0.5f)),
            channels, Int8DepthwiseIsas.Best);
        var network = new Network("dw", [
            new Int8QuantizeLayer("q", 0, 1, channels),
            new Int8DepthwiseConvLayer("dw", 1, 2, weights, bias, 1, Padding.Same, null),
        ], 3, [2], c);
        var input = RandomFloats(random, shape.Size, -2f, 2f * c);
        var session = new InferenceSession(network);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();

        // Codes written out plainly per channel (values outside a channel's range clamp), then the kernel on them.
        var codes = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
        for (int i = 0; i < shape.Size; i++) codes[i] = (byte)channels[i % c].Quantize(input[i]);
        var g = ConvGeometry.Square(shape, c, kernel, 1, Padding.Same);
        var expected = new float[g.OutH * g.OutW * c];
        Int8DepthwiseKernel.Run(codes, weights, g, 0, g.OutH, expected);
        Assert.Equal(expected, session.Output(0).ToArray());
    }

    [Fact]
    public void APerChannelQuantizeStepRefusesAnotherChannelCount()
    {
        var network = new Network("q", [new Int8QuantizeLayer("q", 0, 1, Enumerable.Repeat(new QuantParams(1f, 0), 4).ToArray())], 2, [1], 5);
        var session = new InferenceSession(network);
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            session.PrepareInput(new TensorShape(1, 2, 2, 5));
            session.Run();
        });
        Assert.Contains("expected 4", error.Message);
    }
}
