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
}
