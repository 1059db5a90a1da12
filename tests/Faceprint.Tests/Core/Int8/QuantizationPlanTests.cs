using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Recognition;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The quantization plan stored in model files: round trip, strict validation, and how engines use it.</summary>
public sealed class QuantizationPlanTests
{
    private static QuantizationPlan Sample() => new(CalibrationMethod.MeanMinMax, 12,
        new Dictionary<string, QuantParams> { ["blocks.0.expand"] = new(0.05f, 17), ["final"] = new(0.25f, 0) }, ["embed"]);

    [Fact]
    public void RoundTripsThroughJsonAndModelFileMetadata()
    {
        var plan = Sample();
        var parsed = QuantizationPlan.Parse(plan.ToJson());
        Assert.Equal(plan.Method, parsed.Method);
        Assert.Equal(plan.CalibrationImages, parsed.CalibrationImages);
        Assert.Equal(plan.Inputs.OrderBy(kv => kv.Key), parsed.Inputs.OrderBy(kv => kv.Key));
        Assert.Equal(plan.KeepFp32, parsed.KeepFp32);

        var path = Path.Combine(Directory.CreateTempSubdirectory("faceprint-plan-").FullName, "q.fpm");
        var file = RandomNetworks.MobileFaceNetFile(MobileFaceNetConfig.FaceXNano);
        EmbedderQuantizer.WithPlan(file, plan).Save(path);
        var loaded = QuantizationPlan.FromModelFile(ModelFile.Load(path));
        Assert.NotNull(loaded);
        Assert.Equal(plan.Inputs["final"], loaded.Inputs["final"]);
        Assert.Null(QuantizationPlan.FromModelFile(file));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void VersionTwoNamesDepthwiseConvsAndVersionOnePlansStillRead()
    {
        Assert.Contains("\"version\":2", Sample().ToJson());
        var v1 = QuantizationPlan.Parse("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"blocks.0.expand":{"scale":0.05,"zero_point":17}},"keep_fp32":[]}""");
        Assert.Equal(new QuantParams(0.05f, 17), v1.Inputs["blocks.0.expand"]);

        var plan = new QuantizationPlan(CalibrationMethod.MinMax, 1,
            new Dictionary<string, QuantParams> { ["blocks.0.expand"] = new(0.05f, 17), ["blocks.0.dw"] = new(0.02f, 3) }, ["gdconv"]);
        var int8 = plan.Apply(RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano));
        var dw = Assert.IsType<Int8DepthwiseConvLayer>(int8.Layers.Single(l => l.Name == "blocks.0.dw"));
        Assert.Equal(new QuantParams(0.02f, 3), dw.Weights.Input);
        // The expand conv feeds only the int8 depthwise conv: it writes that layer's codes.
        Assert.Equal(new QuantParams(0.02f, 3), Assert.IsType<Int8PointwiseConvLayer>(int8.Layers.Single(l => l.Name == "blocks.0.expand")).OutputCodes);
        Assert.IsType<Faceprint.Core.Graph.DepthwiseConv2dLayer>(int8.Layers.Single(l => l.Name == "gdconv"));
    }

    private static QuantizationPlan PerChannelSample() => new(CalibrationMethod.MeanMinMax, 5,
        new Dictionary<string, QuantParams> { ["blocks.0.expand"] = new(0.05f, 17) }, ["stem"])
    {
        ChannelInputs = new Dictionary<string, IReadOnlyList<QuantParams>>
        {
            ["gdconv"] = Enumerable.Range(0, MobileFaceNetConfig.FaceXNano.FinalChannels).Select(c => new QuantParams(0.01f * (c + 1), c % 256)).ToArray(),
        },
    };

    [Fact]
    public void PerChannelInputsMakeVersionThreeAndRoundTripThroughAModelFile()
    {
        var plan = PerChannelSample();
        string json = plan.ToJson();
        Assert.Contains("\"version\":3", json);
        var parsed = QuantizationPlan.Parse(json);
        Assert.Equal(plan.ChannelInputs["gdconv"], parsed.ChannelInputs["gdconv"]);
        Assert.Equal(plan.Inputs, parsed.Inputs);

        var path = Path.Combine(Directory.CreateTempSubdirectory("faceprint-plan-").FullName, "q.fpm");
        EmbedderQuantizer.WithPlan(RandomNetworks.MobileFaceNetFile(MobileFaceNetConfig.FaceXNano), plan).Save(path);
        var file = ModelFile.Load(path);
        Assert.Equal(plan.ChannelInputs["gdconv"], QuantizationPlan.FromModelFile(file)!.ChannelInputs["gdconv"]);
        // The per-channel layer's weight is stored in int8 like any other quantized layer's, and the file runs.
        Assert.Contains(file.QuantizedTensors, t => t.Name == "gdconv.weight");
        var gd = Assert.IsType<Int8DepthwiseConvLayer>(EmbedderQuantizer.BuildNetwork(file, EmbedderPrecision.Int8).Layers.Single(l => l.Name == "gdconv"));
        Assert.Equal(plan.ChannelInputs["gdconv"], gd.Weights.InputChannels);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void APerChannelPlanMustFitItsLayer()
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano);
        var one = new[] { new QuantParams(1f, 0) };
        var wrongCount = Sample() with { ChannelInputs = new Dictionary<string, IReadOnlyList<QuantParams>> { ["gdconv"] = one } };
        Assert.Contains("channels", Assert.Throws<ModelFormatException>(() => wrongCount.Apply(network)).Message);
        var notDepthwise = Sample() with { ChannelInputs = new Dictionary<string, IReadOnlyList<QuantParams>> { ["blocks.0.project"] = one } };
        Assert.Contains("only depthwise", Assert.Throws<ModelFormatException>(() => notDepthwise.Apply(network)).Message);
    }

    [Theory]
    [InlineData("", "corrupt quantization plan")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"version":4,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[]}""", "version 4")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[]}""", "lacks a 'channel_inputs'")]
    [InlineData("""{"version":2,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[],"channel_inputs":{}}""", "version 2 cannot hold 'channel_inputs'")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"scales":[1,2],"zero_points":[0]}}}""", "2 channel scales and 1 zero points")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"scales":[],"zero_points":[]}}}""", "0 channel scales")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"scales":[1,-1],"zero_points":[0,0]}}}""", "channel 1: activation scale -1")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"scales":[1],"zero_points":[300]}}}""", "zero point 300")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"scales":["x"],"zero_points":[0]}}}""", "wrong type at 0")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":{"zero_points":[0]}}}""", "lacks array 'scales' of layer 'd'")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{"d":[1]}}""", "channel entry 'd' is not an object")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{"d":{"scale":1,"zero_point":0}},"keep_fp32":[],"channel_inputs":{"d":{"scales":[1],"zero_points":[0]}}}""", "both per tensor and per channel")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":["d"],"channel_inputs":{"d":{"scales":[1],"zero_points":[0]}}}""", "both quantized and kept")]
    [InlineData("""{"version":3,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[],"channel_inputs":{}}""", "no layer")]
    [InlineData("""{"version":0,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[]}""", "version 0")]
    [InlineData("""{"version":1,"method":"Median","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[]}""", "method 'Median'")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":0,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":[]}""", "calibration_images 0")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":0,"zero_point":0}},"keep_fp32":[]}""", "scale 0")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":256}},"keep_fp32":[]}""", "zero point 256")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":"x","zero_point":0}},"keep_fp32":[]}""", "wrong type")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"zero_point":0}},"keep_fp32":[]}""", "lacks field 'scale' of layer 'a'")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{},"keep_fp32":[]}""", "no layer")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}},"keep_fp32":["a"]}""", "both quantized and kept")]
    [InlineData("""{"version":1,"method":"MinMax","calibration_images":1,"inputs":{"a":{"scale":1,"zero_point":0}}}""", "keep_fp32")]
    public void MalformedPlansAreRefusedWithTheReason(string json, string reason)
    {
        var error = Assert.Throws<ModelFormatException>(() => QuantizationPlan.Parse(json));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void APlanForAnotherNetworkIsRefused()
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano);
        var plan = new QuantizationPlan(CalibrationMethod.MinMax, 1, new Dictionary<string, QuantParams> { ["no.such.layer"] = new(1f, 0) }, []);
        var error = Assert.Throws<ModelFormatException>(() => plan.Apply(network));
        Assert.Contains("no.such.layer", error.Message);
    }

    [Fact]
    public void Int8WithoutAPlanSaysHowToMakeOne()
    {
        var file = new ModelFile("mobilefacenet", [], []);
        var error = Assert.Throws<FaceprintException>(() => EmbedderQuantizer.BuildNetwork(file, EmbedderPrecision.Int8));
        Assert.Contains("models quantize", error.Message);
    }
}
