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
    public void CalibrationRecordsTheInputRangeOfEveryDenseAndDepthwiseConv()
    {
        var (network, images) = NetAndImages(2, 3);
        var calibrator = new ActivationCalibrator(network);
        foreach (var image in images) calibrator.Observe(image, Face);
        Assert.Equal(2, calibrator.Images);
        // Every dense conv (the 3×3 stem included) and every depthwise conv (GDConv included) is watched.
        int watched = network.Optimized.Layers.Count(l => l is Conv2dLayer or DepthwiseConv2dLayer);
        Assert.Equal(watched, calibrator.Ranges.Count);
        Assert.Contains("gdconv", calibrator.Ranges.Keys);
        Assert.Contains("stem", calibrator.Ranges.Keys);
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
        Assert.Equal(inputs.Count - 1, int8.Layers.Count(l => l is Int8PointwiseConvLayer or Int8DepthwiseConvLayer));
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
        var outputs = Int8Isas.Supported.SelectMany(isa => Int8DepthwiseIsas.Supported.Select(dw =>
            Run(NetworkQuantizer.Quantize(network, inputs, isa: isa, depthwiseIsa: dw), images[0]))).ToList();
        foreach (var output in outputs.Skip(1)) Assert.Equal(outputs[0], output);
    }

    [Fact]
    public void ValuesBetweenInt8LayersTravelAsCodes()
    {
        var (network, images) = NetAndImages(1, 13);
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images, CalibrationMethod.MinMax));
        var layers = int8.Layers.ToDictionary(l => l.Name);
        var dw = Assert.IsType<Int8DepthwiseConvLayer>(layers["blocks.1.dw"]);
        var expand = Assert.IsType<Int8PointwiseConvLayer>(layers["blocks.1.expand"]);
        var project = Assert.IsType<Int8PointwiseConvLayer>(layers["blocks.1.project"]);
        // expand → dw → project: codes of the consumer's input parameters, no float tensor in between.
        Assert.Equal(dw.Weights.Input, expand.OutputCodes);
        Assert.Equal(project.Weights.Input, dw.OutputCodes);
        Assert.True(project.InputCodes);
        // The project output is the float residual stream (a residual input of the next block), and the network output is float.
        Assert.Null(project.OutputCodes);
        Assert.Null(Assert.IsType<Int8PointwiseConvLayer>(layers["embed"]).OutputCodes);
        // The stem is int8 here (no layer kept fp32), a few-channel conv whose epilogue writes the first depthwise conv's codes itself.
        Assert.DoesNotContain(int8.Layers, l => l is Int8QuantizeLayer);
        var stem = Assert.IsType<Int8Conv2dLayer>(layers["stem"]);
        Assert.Equal(layers["stem_dw"].Inputs[0], stem.Output);
        Assert.Equal(Enumerable.Repeat(((Int8DepthwiseConvLayer)layers["stem_dw"]).Weights.Input, stem.OutChannels), stem.OutputCodes);
    }

    [Fact]
    public void AnFp32StemWritesThePerTensorCodesOfItsDepthwiseReaderItself()
    {
        var (network, images) = NetAndImages(1, 13);
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images, CalibrationMethod.MinMax), new HashSet<string> { "stem" });
        var layers = int8.Layers.ToDictionary(l => l.Name);
        var stem = Assert.IsType<Conv2dLayer>(layers["stem"]);
        var dw = Assert.IsType<Int8DepthwiseConvLayer>(layers["stem_dw"]);
        Assert.Equal(dw.Inputs[0], stem.Output);
        Assert.Equal(Enumerable.Repeat(dw.Weights.Input, stem.OutChannels), Assert.IsAssignableFrom<IReadOnlyList<QuantParams>>(stem.OutputCodes));
        Assert.DoesNotContain(int8.Layers, l => l is Int8QuantizeLayer);
    }

    [Fact]
    public void TheFp32StemWritesExactlyTheCodesAPerChannelQuantizeStepWouldMake()
    {
        var (network, images) = NetAndImages(5, 23);
        var perChannel = CalibratePerChannel(network, images.Take(4), ["stem_dw", "gdconv"]);
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images.Take(4), CalibrationMethod.MinMax), new HashSet<string> { "stem" },
            channelInputs: perChannel);
        var layers = int8.Layers.ToDictionary(l => l.Name);
        var stem = Assert.IsType<Conv2dLayer>(layers["stem"]);
        Assert.Equal(perChannel["stem_dw"], stem.OutputCodes);
        Assert.False(layers.ContainsKey("stem_dw.quantize"));
        // The old composition: the fp32 stem (its float output now a value of its own) and a channel quantize step.
        var original = (Conv2dLayer)network.Optimized.Layers.Single(l => l.Name == "stem");
        var composed = int8.Layers.SelectMany(l => l != stem
            ? [l]
            : new Layer[]
            {
                new Conv2dLayer(original.Name, original.Inputs[0], int8.ValueCount, original.Weight.ToArray(), original.Bias.ToArray(),
                    original.InChannels, original.Kernel, original.Stride, original.Padding, original.Activation),
                new Int8QuantizeLayer("stem_dw.quantize", int8.ValueCount, stem.Output, perChannel["stem_dw"]),
            }).ToList();
        var reference = new Network(int8.Name, composed, int8.ValueCount + 1, int8.Outputs, int8.InputChannels);
        Assert.Equal(Run(reference, images[4]), Run(int8, images[4]));
    }

    [Fact]
    public void NothingStaysFp32AndTheStemsDepthwiseConvAndTheGdConvTakeInputsPerChannelByDefault()
    {
        var (network, _) = NetAndImages(0, 1);
        // The 3-channel stem runs on the few-channel int8 kernel; a dense k×k conv over more channels would stay fp32.
        Assert.Empty(NetworkQuantizer.KeptFp32ByDefault(network));
        Assert.Equal(["stem_dw", "gdconv"], NetworkQuantizer.PerChannelByDefault(network));
    }

    private static Dictionary<string, IReadOnlyList<QuantParams>> CalibratePerChannel(Network network, IEnumerable<float[]> images, IEnumerable<string> layers)
    {
        var calibrator = new ActivationCalibrator(network);
        foreach (var image in images) calibrator.Observe(image, Face);
        return layers.ToDictionary(l => l, l => (IReadOnlyList<QuantParams>)calibrator.ChannelRanges[l].Params());
    }

    [Fact]
    public void PerChannelCalibrationCoversEachChannelsOwnRange()
    {
        var (network, images) = NetAndImages(2, 21);
        var calibrator = new ActivationCalibrator(network);
        foreach (var image in images) calibrator.Observe(image, Face);
        // Only depthwise convs can take per-channel inputs, so only theirs are recorded per channel.
        Assert.Equal(network.Optimized.Layers.OfType<DepthwiseConv2dLayer>().Select(l => l.Name).Order(), calibrator.ChannelRanges.Keys.Order());
        var tensor = calibrator.Ranges["gdconv"].Params(CalibrationMethod.MinMax);
        var channels = calibrator.ChannelRanges["gdconv"].Params();
        Assert.Equal(MobileFaceNetConfig.FaceXNano.FinalChannels, channels.Length);
        // No channel needs a coarser step than the tensor, and the widest channel's step is the tensor's.
        Assert.All(channels, q => Assert.True(q.Scale <= tensor.Scale * (1 + 1e-5f)));
        Assert.Contains(channels, q => q.Scale < tensor.Scale * 0.9f);
    }

    [Fact]
    public void PerChannelDepthwiseConvsGetAChannelQuantizeStepAndFollowFp32()
    {
        var (network, images) = NetAndImages(6, 17);
        var perChannel = CalibratePerChannel(network, images.Take(4), ["stem_dw", "gdconv"]);
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images.Take(4), CalibrationMethod.MinMax), new HashSet<string> { "stem" },
            channelInputs: perChannel);
        var layers = int8.Layers.ToDictionary(l => l.Name);
        foreach (var name in perChannel.Keys)
        {
            var dw = Assert.IsType<Int8DepthwiseConvLayer>(layers[name]);
            Assert.Equal(perChannel[name], dw.Weights.InputChannels);
            // The fp32 stem writes the stem depthwise conv's codes itself; the GDConv's come from a quantize step.
            var producer = int8.Layers.Single(l => l.Output == dw.Inputs[0]);
            Assert.Equal(perChannel[name], producer is Conv2dLayer stem ? stem.OutputCodes : Assert.IsType<Int8QuantizeLayer>(producer).Channels);
        }
        Assert.Equal("gdconv.quantize", int8.Layers.Single(l => l is Int8QuantizeLayer).Name);
        // The int8 1×1 conv before the GDConv writes floats (its epilogue requantizes per tensor only), and the stem's
        // depthwise conv still writes the codes the next 1×1 conv reads.
        var final = Assert.IsType<Int8PointwiseConvLayer>(int8.Layers.Single(l => l.Output == layers["gdconv.quantize"].Inputs[0]));
        Assert.Null(final.OutputCodes);
        Assert.NotNull(((Int8DepthwiseConvLayer)layers["stem_dw"]).OutputCodes);
        foreach (var image in images.Skip(4))
            Assert.True(Cosine(Run(network, image), Run(int8, image)) > 0.98);
        var outputs = Int8DepthwiseIsas.Supported.Select(dw =>
            Run(NetworkQuantizer.Quantize(network, Calibrate(network, images.Take(4), CalibrationMethod.MinMax), new HashSet<string> { "stem" },
                depthwiseIsa: dw, channelInputs: perChannel), images[5])).ToList();
        foreach (var output in outputs.Skip(1)) Assert.Equal(outputs[0], output);
    }

    [Fact]
    public void AnInt8StemWritesTheCodesAQuantizeStepWouldMakeOfItsFloatsForTheDepthwiseConv()
    {
        var (network, images) = NetAndImages(6, 15);
        var perChannel = CalibratePerChannel(network, images.Take(4), ["stem_dw"]);
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images.Take(4), CalibrationMethod.MinMax), keepFp32: new HashSet<string>(),
            channelInputs: perChannel);
        var stem = Assert.IsType<Int8Conv2dLayer>(int8.Layers.Single(l => l.Name == "stem"));
        // The few-channel int8 conv writes the per-channel codes the depthwise conv reads: no quantize step between them.
        Assert.Equal(perChannel["stem_dw"], stem.OutputCodes);
        Assert.DoesNotContain(int8.Layers, l => l is Int8QuantizeLayer);
        Assert.Contains(int8.Layers, l => l is Int8DepthwiseConvLayer { Name: "stem_dw" } dw && dw.Inputs[0] == stem.Output);
        // The same network with the stem writing floats and a quantize step after it gives the same output bit for bit.
        var floatStem = Int8Conv2dLayer.FromConv(network.Optimized.Layers.OfType<Conv2dLayer>().Single(l => l.Name == "stem"), stem.Weights.Input,
            stem.Weights.Isa);
        var composed = int8.Layers.SelectMany(l => l != stem ? new[] { l } : new Layer[]
            {
                new Int8Conv2dLayer(floatStem.Name, floatStem.Inputs[0], null, int8.ValueCount, floatStem.Weights, floatStem.Bias, floatStem.InChannels,
                    floatStem.Kernel, floatStem.Stride, floatStem.Padding),
                new Int8QuantizeLayer("stem_dw.quantize", int8.ValueCount, stem.Output, perChannel["stem_dw"]),
            }).ToList();
        var reference = new Network(int8.Name, composed, int8.ValueCount + 1, int8.Outputs, int8.InputChannels);
        foreach (var image in images.Skip(4))
        {
            var output = Run(int8, image);
            Assert.Equal(Run(reference, image), output);
            Assert.True(Cosine(Run(network, image), output) > 0.9);
        }
    }

    [Fact]
    public void KeepingEveryDepthwiseConvFp32LeavesFloatsAroundThem()
    {
        var (network, images) = NetAndImages(1, 15);
        var keep = network.Optimized.Layers.OfType<DepthwiseConv2dLayer>().Select(l => l.Name).ToHashSet();
        var int8 = NetworkQuantizer.Quantize(network, Calibrate(network, images, CalibrationMethod.MinMax), keep);
        Assert.DoesNotContain(int8.Layers, l => l is Int8QuantizeLayer or Int8DepthwiseConvLayer);
        Assert.All(int8.Layers.OfType<Int8PointwiseConvLayer>(), l => Assert.False(l.InputCodes && l.Name.EndsWith(".project", StringComparison.Ordinal)));
        Assert.Null(((Int8PointwiseConvLayer)int8.Layers.Single(l => l.Name == "blocks.1.expand")).OutputCodes);
    }
}
