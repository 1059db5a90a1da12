using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Core.Int8;

/// <summary>An int8 network, like an fp32 one, allocates nothing per run once warm (its quantization scratch is planned).</summary>
public sealed class Int8SessionAllocationTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 4, false)]
    [InlineData(1, 1, true)] // the stem's depthwise conv and the GDConv on per-channel inputs (per-channel quantize steps)
    public void SteadyStateRunsAllocateNothingOnTheCallingThread(int threads, int batch, bool perChannel)
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano);
        var one = new TensorShape(1, 112, 112, 3);
        var calibrator = new ActivationCalibrator(network);
        calibrator.Observe(CoreReference.RandomFloats(new Random(4), one.Size), one);
        var channelInputs = perChannel
            ? NetworkQuantizer.PerChannelByDefault(network).ToDictionary(l => l, l => (IReadOnlyList<Faceprint.Core.Kernels.Int8.QuantParams>)calibrator.ChannelRanges[l].Params())
            : null;
        var int8 = NetworkQuantizer.Quantize(network, calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)),
            channelInputs: channelInputs);
        var session = new InferenceSession(int8, threads);
        var shape = one with { N = batch };
        CoreReference.RandomFloats(new Random(3), shape.Size).CopyTo(session.PrepareInput(shape));
        Assert.Equal(0, SessionRuns.AllocatedBytes(session, shape));
    }
}
