using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Core;

/// <summary>Per-layer timing of a session: what it records, that it changes no result, and that it allocates nothing per run.</summary>
public sealed class LayerProfileTests
{
    private static readonly Lazy<Network> Nano = new(() => RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano));

    private static InferenceSession Session(int threads, int batch, out TensorShape shape)
    {
        var session = new InferenceSession(Nano.Value, threads);
        shape = new TensorShape(batch, 112, 112, 3);
        CoreReference.RandomFloats(new Random(3), shape.Size).CopyTo(session.PrepareInput(shape));
        return session;
    }

    [Fact]
    public void RecordsEveryExecutedLayerWithItsMacsAndChangesNoOutput()
    {
        var session = Session(1, 1, out var shape);
        session.Run();
        float[] plain = session.Output(0).ToArray();
        var profile = session.StartProfiling();
        for (int i = 0; i < 3; i++) session.Run();
        session.StopProfiling();

        Assert.Equal(plain, session.Output(0).ToArray());
        Assert.Equal(3, profile.Runs);
        var layers = profile.Layers();
        Assert.Equal(Nano.Value.Optimized.Layers.Count, layers.Count);
        Assert.All(layers, l => Assert.True(l.Ms >= 0));
        Assert.Equal(Nano.Value.CountMacs(shape), layers.Sum(l => l.Macs));
        var types = profile.ByType();
        Assert.Equal(layers.Count, types.Sum(t => t.Layers));
        Assert.Equal(1.0, types.Sum(t => t.Share), 6);
        Assert.Contains(types, t => t.Type == "Conv2d 1x1" && t.Gflops > 0);
        Assert.Equal(types.OrderByDescending(t => t.Ms).Select(t => t.Type), types.Select(t => t.Type));
        Assert.All(types.Where(t => t.Type.StartsWith("Conv2d", StringComparison.Ordinal)), t => Assert.NotNull(t.Gflops));
    }

    [Fact]
    public void BatchesRunImageByImageRecordEachImageOnEveryWorker()
    {
        var session = Session(2, 4, out _);
        session.Run();
        var profile = session.StartProfiling();
        session.Run();
        session.Run();
        Assert.Equal(8, profile.Runs);
        session.StopProfiling();
        session.Run();
        Assert.Equal(8, profile.Runs);
    }

    [Fact]
    public void ProfiledRunsAllocateNothingOnTheCallingThread()
    {
        var session = Session(1, 1, out var shape);
        var profile = session.StartProfiling();
        Assert.Equal(0, SessionRuns.AllocatedBytes(session, shape));
        Assert.Equal(45, profile.Runs);
    }
}
