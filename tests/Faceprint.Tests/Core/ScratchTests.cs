using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Models.MobileFaceNet;
using Xunit.Abstractions;

namespace Faceprint.Tests.Core;

public sealed class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void MeasureMfnAllocations()
    {
        var c = MobileFaceNetConfig.FaceXNano;
        var r = new Random(1);
        var ws = new WeightSet(MobileFaceNetDefinition.Parameters(c).Select(s => new NamedTensor(s.Name, s.Shape,
            Enumerable.Range(0, (int)NamedTensor.Count(s.Shape)).Select(_ => (float)(r.NextDouble() * 0.1 - 0.05)).ToArray())));
        var net = MobileFaceNetDefinition.Build(c, ws);
        var session = new InferenceSession(net, 1);
        var shape = new TensorShape(1, 112, 112, 3);
        session.PrepareInput(shape).Fill(0.5f);
        session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        session.PrepareInput(shape).Fill(0.5f);
        session.Run();
        output.WriteLine($"layers {net.Layers.Count}, second run allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
    }
}
