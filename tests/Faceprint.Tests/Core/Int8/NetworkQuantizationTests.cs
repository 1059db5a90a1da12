using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>Calibration and the int8 rewrite of a whole (random-weight) MobileFaceNet.</summary>
public sealed class NetworkQuantizationTests
{
    private static readonly TensorShape Face = new(1, 112, 112, 3);

    private static (Network Fp32, List<float[]> Images) NetAndImages(int images, int seed)
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano, seed);
        var random = new Random(seed);
        return (network, Enumerable.Range(0, images).Select(_ => RandomFloats(random, Face.Size)).ToList());
    }

    private static float[] Run(Network network, float[] image)
    {
        var session = new InferenceSession(network);
        image.CopyTo(session.PrepareInput(Face));
        session.Run();
        return session.Output(0).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    private static Dictionary<string, QuantParams> Calibrate(Network network, IEnumerable<float[]> images, CalibrationMethod method)
    {
        var calibrator = new ActivationCalibrator(network);
        foreach (var image in images) calibrator.Observe(image, Face);
        return calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(method));
    }

    [Fact]
    public void CalibrationRecordsTheInputRangeOfEveryDenseConv()
    {
        var (network, images) = NetAndImages(2, 3);
        var calibrator = new ActivationCalibrator(network);
        foreach (var image in images) calibrator.Observe(image, Face);
        Assert.Equal(2, calibrator.Images);
        // Every dense conv is watched, the 3×3 stem included; depthwise convs are not.
        int dense = network.Optimized.Layers.Count(l => l is Conv2dLayer);
        Assert.Equal(dense, calibrator.Ranges.Count);
        Assert.Contains("stem", calibrator.Ranges.Keys);
        Assert.DoesNotContain(network.Optimized.Layers.OfType<DepthwiseConv2dLayer>(), l => calibrator.Ranges.ContainsKey(l.Name));
        // An expand conv reads a PReLU'd depthwise output or a block sum: a real range around zero.
        foreach (var range in calibrator.Ranges.Values)
        {
            Assert.Equal(2, range.Images);
            Assert.True(range.Max > range.Min, "a calibrated tensor should not be constant");
            var q = range.Params(CalibrationMethod.MinMax);
            Assert.True(q.Scale * 255 >= range.Max - Math.Min(range.Min, 0) - 1e-4);
        }
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.MeanMinMax)]
    public void Int8NetworkFollowsTheFp32OneOnUnseenInputs(CalibrationMethod method)
    {
        var (network, images) = NetAndImages(6, 5);
        var inputs = Calibrate(network, images.Take(4), method);
        var int8 = NetworkQuantizer.Quantize(network, inputs);
        Assert.Equal(inputs.Count - 1, int8.Layers.Count(l => l is Int8PointwiseConvLayer));
        Assert.Contains(int8.Layers, l => l is Int8Conv2dLayer { Name: "stem" });
        foreach (var image in images.Skip(4))
        {
            double cos = Cosine(Run(network, image), Run(int8, image));
            Assert.True(cos > 0.98, $"cosine {cos}");
        }
    }

    [Fact]
    public void KeptLayersStayFp32AndResidualsStayFused()
    {
        var (network, images) = NetAndImages(1, 9);
        var inputs = Calibrate(network, images, CalibrationMethod.MinMax);
        var int8 = NetworkQuantizer.Quantize(network, inputs, new HashSet<string> { "embed" });
        Assert.IsType<Conv2dLayer>(int8.Layers.Single(l => l.Name == "embed"));
        Assert.Contains(int8.Layers, l => l is Int8PointwiseConvLayer { Residual: not null });
        Assert.DoesNotContain(int8.Layers, l => l is AddLayer);
    }

    [Fact]
    public void EveryInt8PathGivesTheSameNetworkOutput()
    {
        var (network, images) = NetAndImages(1, 11);
        var inputs = Calibrate(network, images, CalibrationMethod.MinMax);
        var outputs = Int8Isas.Supported.Select(isa => Run(NetworkQuantizer.Quantize(network, inputs, isa: isa), images[0])).ToList();
        foreach (var output in outputs.Skip(1)) Assert.Equal(outputs[0], output);
    }
}
