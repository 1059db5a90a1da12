using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Tests.Core.Int8;

/// <summary>An int8 network, like an fp32 one, allocates nothing per run once warm (its quantization scratch is planned).</summary>
public sealed class Int8SessionAllocationTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    public void SteadyStateRunsAllocateNothingOnTheCallingThread(int threads, int batch)
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano);
        var one = new TensorShape(1, 112, 112, 3);
        var calibrator = new ActivationCalibrator(network);
        calibrator.Observe(CoreReference.RandomFloats(new Random(4), one.Size), one);
        var int8 = NetworkQuantizer.Quantize(network, calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)));
        var session = new InferenceSession(int8, threads);
        var shape = one with { N = batch };
        CoreReference.RandomFloats(new Random(3), shape.Size).CopyTo(session.PrepareInput(shape));
        // Enough runs for tiered compilation to settle the hot methods.
        for (int i = 0; i < 40; i++) session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            session.PrepareInput(shape);
            session.Run();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
