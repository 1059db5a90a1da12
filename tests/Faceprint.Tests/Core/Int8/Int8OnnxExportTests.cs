using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Export.Onnx;
using Faceprint.Models.MobileFaceNet;
using Faceprint.OnnxRuntime;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The QDQ ONNX export of an int8 network runs in ONNX Runtime and agrees with the engine's int8 path.</summary>
public sealed class Int8OnnxExportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the stem's depthwise conv and the GDConv take their inputs per channel: per-axis QuantizeLinear
    public void OnnxRuntimeOnTheQdqExportFollowsTheEngineInt8Network(bool perChannel)
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano, seed: 21);
        var one = new TensorShape(1, 112, 112, 3);
        var random = new Random(22);
        var calibrator = new ActivationCalibrator(network);
        for (int i = 0; i < 2; i++) calibrator.Observe(RandomFloats(random, one.Size), one);
        var channelInputs = perChannel
            ? NetworkQuantizer.PerChannelByDefault(network).ToDictionary(l => l, l => (IReadOnlyList<QuantParams>)calibrator.ChannelRanges[l].Params())
            : null;
        var int8 = NetworkQuantizer.Quantize(network, calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)),
            channelInputs: channelInputs);
        Assert.Equal(perChannel ? 2 : 0, int8.Layers.Count(l => l is Int8DepthwiseConvLayer { Weights.InputChannels: not null }));
        byte[] onnx = new OnnxExporter().Export(int8, 112, 112);

        var shape = one with { N = 2 };
        var input = RandomFloats(random, shape.Size);
        var session = new InferenceSession(int8);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        using var ort = new OrtModelRunner(onnx, threads: 1);
        input.CopyTo(ort.PrepareInput(shape));
        ort.Run();
        int d = session.OutputShape(0).PerImage;
        for (int image = 0; image < 2; image++)
        {
            var a = session.Output(0).Slice(image * d, d);
            var b = ort.Output(0).Slice(image * d, d);
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < d; i++)
            {
                dot += (double)a[i] * b[i];
                na += (double)a[i] * a[i];
                nb += (double)b[i] * b[i];
            }
            // Not bit-exact: ORT divides by the scale where the engine multiplies by its inverse and runs the dequantized
            // conv in float, so a value near a rounding boundary can get the neighbouring code, and this random-weight
            // net amplifies such flips layer by layer (seen: cosine 0.9997).
            Assert.True(dot / Math.Sqrt(na * nb) > 0.999, $"image {image}: cosine {dot / Math.Sqrt(na * nb)}");
        }
    }
}
