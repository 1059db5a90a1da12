using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.Core;

/// <summary>After warm-up, running a session again at the same input shape allocates no managed memory.</summary>
public sealed class SessionAllocationTests(ITestOutputHelper output)
{
    private static readonly Lazy<Network> Nano = new(() => RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano));

    internal static InferenceSession Warm(int threads, int batch)
    {
        var session = new InferenceSession(Nano.Value, threads);
        var shape = new TensorShape(batch, 112, 112, 3);
        CoreReference.RandomFloats(new Random(3), shape.Size).CopyTo(session.PrepareInput(shape));
        // Enough runs for tiered compilation to settle the hot methods.
        for (int i = 0; i < 40; i++) session.Run();
        return session;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(2, 1)]
    [InlineData(2, 4)]
    public void SteadyStateRunsAllocateNothingOnTheCallingThread(int threads, int batch)
    {
        var session = Warm(threads, batch);
        long allocated = SessionRuns.AllocatedBytes(session, new TensorShape(batch, 112, 112, 3), warmUp: 0);
        output.WriteLine($"threads {threads}, batch {batch}: {allocated} bytes over 5 runs");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AVitBatchWithABatchedHeadAllocatesNothingOnTheCallingThread()
    {
        // D 128 puts the feature head past the batched-tail mark (see SessionExecutionTests).
        var config = new Faceprint.Models.Vit.VitConfig { EmbedDim = 128, Depth = 1, Heads = 2, EmbeddingSize = 16 };
        var network = Faceprint.Models.Vit.VitDefinition.Build(config, Faceprint.Models.RandomWeights.Create(Faceprint.Models.Vit.VitDefinition.Parameters(config), 9));
        var session = new InferenceSession(network, 2);
        var shape = new TensorShape(3, 112, 112, 3);
        Assert.True(session.BatchedTailStart(shape) < network.Optimized.Layers.Count);
        CoreReference.RandomFloats(new Random(3), shape.Size).CopyTo(session.PrepareInput(shape));
        Assert.Equal(0, SessionRuns.AllocatedBytes(session, shape));
    }

    [Fact]
    public void SwitchingBetweenSeenShapesAllocatesNothing()
    {
        var session = Warm(1, 1);
        var one = new TensorShape(1, 112, 112, 3);
        var two = new TensorShape(2, 112, 112, 3);
        session.PrepareInput(two);
        session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            session.PrepareInput(one);
            session.Run();
            session.PrepareInput(two);
            session.Run();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

/// <summary>The same check over every thread of the process (the pool's helpers included), so it runs alone.</summary>
[CollectionDefinition(nameof(ProcessAllocationCollection), DisableParallelization = true)]
public sealed class ProcessAllocationCollection;

/// <summary>Whole-process allocation while sessions run on two threads.</summary>
[Collection(nameof(ProcessAllocationCollection))]
public sealed class ProcessAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void SteadyStateRunsOnTwoThreadsAllocateNothingAnywhereInTheProcess(int batch)
    {
        var session = SessionAllocationTests.Warm(2, batch);
        var shape = new TensorShape(batch, 112, 112, 3);
        // A longer warm-up than the calling-thread test: on the slower portable path, methods that only the pool's
        // helper runs were still tiering up after 40 runs (168 bytes per window, gone after 100 more runs).
        for (int i = 0; i < 100; i++) session.Run();
        // Other threads of the test host (runner, timers, work left behind by earlier tests) may allocate now and then:
        // take the best of several windows. An allocation in the engine itself would show up in every window.
        long best = long.MaxValue;
        for (int attempt = 0; attempt < 20 && best != 0; attempt++)
        {
            Thread.Sleep(20);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 5; i++)
            {
                session.PrepareInput(shape);
                session.Run();
            }
            best = Math.Min(best, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        output.WriteLine($"batch {batch}: {best} bytes over 5 runs (best window)");
        Assert.Equal(0, best);
    }
}

/// <summary>The recognition front end on top of a session: embedding an aligned face into a caller's buffer.</summary>
public sealed class EmbedderAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EmbeddingAnAlignedFaceIntoABufferAllocatesNothingAfterWarmUp(int threads)
    {
        var network = RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano, seed: 5);
        var embedder = new Faceprint.Recognition.FaceEmbedder(network, Faceprint.Preprocessing.InputNormalization.Symmetric128, threads);
        var pixels = new byte[112 * 112 * 3];
        new Random(4).NextBytes(pixels);
        var face = new Faceprint.Imaging.RgbImage(112, 112, pixels);
        var embedding = new float[embedder.Dimension];
        for (int i = 0; i < 40; i++) embedder.EmbedAlignedInto(face, embedding);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) embedder.EmbedAlignedInto(face, embedding);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // Same result as the allocating batch API, and unit length.
        var reference = embedder.EmbedAligned([face])[0];
        Assert.Equal(reference, embedding);
        Assert.InRange(embedding.Sum(x => (double)x * x), 1 - 1e-5, 1 + 1e-5);
    }
}
