using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Optimization;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Core.Threading;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Tests.Core;

/// <summary>
/// The execution strategies of a session (fused graph, threads, image-by-image batches, the memory plan) change
/// nothing about the result: every output row is computed by the same kernel code in the same order, so the
/// comparisons here are exact.
/// </summary>
public sealed class SessionExecutionTests
{
    private static readonly Lazy<Network> Nano = new(() => RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano, seed: 7));
    private static readonly Lazy<Network> Expo = new(() => RandomNetworks.MobileFaceNet(MobileFaceNetConfig.ExpoTfLite with { Stages = MobileFaceNetConfig.FaceXNano.Stages }, seed: 8));

    private static float[] Run(InferenceSession session, float[] input, TensorShape shape)
    {
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        return session.Output(0).ToArray();
    }

    [Fact]
    public void ResidualFusionRemovesEveryAddAndKeepsTheOutputBitForBit()
    {
        foreach (var net in new[] { Nano.Value, Expo.Value })
        {
            var fused = NetworkOptimizer.Optimize(net);
            int adds = net.Layers.Count(l => l is AddLayer);
            Assert.True(adds > 0);
            Assert.Equal(0, fused.Layers.Count(l => l is AddLayer));
            Assert.Equal(net.Layers.Count - adds, fused.Layers.Count);
            Assert.Equal(adds, fused.Layers.OfType<Conv2dLayer>().Count(c => c.Residual is not null));
            // The definition's own graph is untouched (exporters read it).
            Assert.Equal(adds, net.Layers.Count(l => l is AddLayer));

            var shape = new TensorShape(2, 112, 112, 3);
            var input = CoreReference.RandomFloats(new Random(1), shape.Size);
            var plain = Run(new InferenceSession(net, 1, optimize: false), input, shape);
            var optimized = Run(new InferenceSession(net, 1), input, shape);
            Assert.Equal(plain, optimized);
            Assert.All(plain, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void GeluFusionMovesEveryConvGeluIntoTheEpilogueAndKeepsTheOutputBitForBit()
    {
        var config = FaceLiVTConfig.Create([16, 32, 48, 64], TokenMixer.Mhla);
        var net = FaceLiVTDefinition.Build(config, RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 3), reparameterize: true);
        int gelus = net.Layers.Count(l => l is GeluLayer);
        Assert.True(gelus > 0);
        var fused = NetworkOptimizer.Optimize(net);
        // In the deploy graph every GELU follows a plain conv (stem RepConv, FFN expansion); MHLA's is inside its layer.
        Assert.Equal(0, fused.Layers.Count(l => l is GeluLayer));
        Assert.Equal(gelus, fused.Layers.OfType<Conv2dLayer>().Count(c => c.Activation.Kind == ActivationKind.Gelu));
        Assert.Equal(gelus, net.Layers.Count(l => l is GeluLayer));

        var shape = new TensorShape(2, 112, 112, 3);
        var input = CoreReference.RandomFloats(new Random(4), shape.Size);
        var plain = Run(new InferenceSession(net, 1, optimize: false), input, shape);
        var optimized = Run(new InferenceSession(net, 1), input, shape);
        // The element-wise kernel and the epilogue evaluate the same GELU code on the same conv sums.
        Assert.Equal(plain, optimized);
        Assert.All(plain, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(TokenMixer.Mhla)]
    [InlineData(TokenMixer.Mhsa)]
    public void EveryConvPrefetchesTheWeightsOfTheNextConvAndTheOutputStaysBitForBit(TokenMixer mixer)
    {
        var config = FaceLiVTConfig.Create([16, 32, 48, 64], mixer);
        var net = FaceLiVTDefinition.Build(config, RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 5), reparameterize: true);
        var convs = NetworkOptimizer.Optimize(net).Layers.OfType<Conv2dLayer>().ToList();
        Assert.True(convs.Count > 2);
        // In execution order each conv's GEMM warms the next conv's first panel (across attention, depthwise and pooling
        // layers between them); the last has none to warm.
        for (int i = 0; i + 1 < convs.Count; i++) Assert.Same(convs[i + 1].PackedWeights, convs[i].NextWeights);
        Assert.Null(convs[^1].NextWeights);
        Assert.All(net.Layers.OfType<Conv2dLayer>(), c => Assert.Null(c.NextWeights));

        var shape = new TensorShape(2, 112, 112, 3);
        var input = CoreReference.RandomFloats(new Random(6), shape.Size);
        var plain = Run(new InferenceSession(net, 1, optimize: false), input, shape);
        var optimized = Run(new InferenceSession(net, 1), input, shape);
        Assert.Equal(plain, optimized);
    }

    [Fact]
    public void Relu6FusionMovesEveryMlpActivationOfTheVitIntoFc1AndKeepsTheOutputBitForBit()
    {
        var config = new Faceprint.Models.Vit.VitConfig { EmbedDim = 32, Depth = 2, Heads = 4, EmbeddingSize = 16 };
        var net = Faceprint.Models.Vit.VitDefinition.Build(config, RandomWeights.Create(Faceprint.Models.Vit.VitDefinition.Parameters(config), 5));
        int relu6s = net.Layers.Count(l => l is Relu6Layer);
        Assert.Equal(config.Depth, relu6s);
        var fused = NetworkOptimizer.Optimize(net);
        Assert.Equal(0, fused.Layers.Count(l => l is Relu6Layer));
        Assert.Equal(relu6s, fused.Layers.OfType<Conv2dLayer>().Count(c => c.Activation.Kind == ActivationKind.Relu6));

        var shape = new TensorShape(2, 112, 112, 3);
        var input = CoreReference.RandomFloats(new Random(6), shape.Size);
        var plain = Run(new InferenceSession(net, 1, optimize: false), input, shape);
        var optimized = Run(new InferenceSession(net, 1), input, shape);
        // Both clamp the same conv sums with the same min/max.
        Assert.Equal(plain, optimized);
        Assert.All(plain, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ThreadsAndImageByImageBatchesGiveIdenticalResults()
    {
        var net = Nano.Value;
        var shape = new TensorShape(5, 112, 112, 3);
        var input = CoreReference.RandomFloats(new Random(2), shape.Size);
        var batched = Run(new InferenceSession(net, 1), input, shape);
        Assert.Equal(batched, Run(new InferenceSession(net, 2), input, shape));
        Assert.Equal(batched, Run(new InferenceSession(net, 3), input, shape));
        int per = batched.Length / shape.N;
        var single = new InferenceSession(net, 2);
        for (int n = 0; n < shape.N; n++)
        {
            var one = Run(single, input.AsSpan(n * shape.PerImage, shape.PerImage).ToArray(), shape with { N = 1 });
            Assert.Equal(batched.AsSpan(n * per, per).ToArray(), one);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AVitBatchRunsItsHeavyHeadOnceOverTheBatchWithTheSameBitsAsImageByImage(int threads)
    {
        // D 128: the feature head holds 144·128·128 weights (past the 4 MB mark), the MLP's 144×512 values make images run one by one.
        var config = new Faceprint.Models.Vit.VitConfig { EmbedDim = 128, Depth = 1, Heads = 2, EmbeddingSize = 16 };
        var net = Faceprint.Models.Vit.VitDefinition.Build(config, RandomWeights.Create(Faceprint.Models.Vit.VitDefinition.Parameters(config), 9));
        var shape = new TensorShape(3, 112, 112, 3);
        var input = CoreReference.RandomFloats(new Random(10), shape.Size);
        var session = new InferenceSession(net, threads);
        int tail = session.BatchedTailStart(shape);
        var head = Assert.IsType<FullyConnectedLayer>(net.Optimized.Layers[tail]);
        Assert.Equal(config.Tokens * config.EmbedDim, head.InFeatures);
        var batched = Run(session, input, shape);
        int per = batched.Length / shape.N;
        var single = new InferenceSession(net, 1);
        for (int n = 0; n < shape.N; n++)
        {
            var one = Run(single, input.AsSpan(n * shape.PerImage, shape.PerImage).ToArray(), shape with { N = 1 });
            Assert.Equal(one, batched.AsSpan(n * per, per).ToArray());
        }
        // A batch of one has nothing to share: it runs layer by layer as before.
        Assert.Equal(net.Optimized.Layers.Count, single.BatchedTailStart(shape with { N = 1 }));
    }

    [Fact]
    public void ACnnBatchStillRunsEveryLayerImageByImage()
    {
        // MobileFaceNet's small linear head stays in the images' sessions: nothing changes for the CNNs.
        var session = new InferenceSession(Nano.Value, 2);
        var shape = new TensorShape(4, 112, 112, 3);
        Assert.Equal(Nano.Value.Optimized.Layers.Count, session.BatchedTailStart(shape));
    }

    [Fact]
    public void MemoryPlanNeverLetsALiveValueShareABuffer()
    {
        foreach (var net in new[] { Nano.Value, NetworkOptimizer.Optimize(Nano.Value), Expo.Value })
        {
            var plan = new MemoryPlan(net);
            var layers = net.Layers;
            // Live range of each value: [producer index, last reader index]; input and outputs live throughout.
            var born = new int[net.ValueCount];
            var dies = new int[net.ValueCount];
            Array.Fill(born, -2);
            born[0] = -1;
            for (int i = 0; i < layers.Count; i++)
            {
                born[layers[i].Output] = i;
                dies[layers[i].Output] = Math.Max(dies[layers[i].Output], i);
                foreach (int v in layers[i].Inputs) dies[v] = Math.Max(dies[v], i);
            }
            dies[0] = int.MaxValue;
            foreach (int v in net.Outputs) dies[v] = int.MaxValue;
            for (int a = 0; a < net.ValueCount; a++)
                for (int b = a + 1; b < net.ValueCount; b++)
                {
                    if (born[a] == -2 || born[b] == -2 || plan.SlotOf[a] != plan.SlotOf[b]) continue;
                    // Strictly disjoint: a value that dies as the input of the layer writing the other may not share either.
                    bool disjoint = dies[a] < born[b] || dies[b] < born[a];
                    Assert.True(disjoint, $"{net.Name}: values {a} [{born[a]},{dies[a]}] and {b} [{born[b]},{dies[b]}] share buffer {plan.SlotOf[a]}");
                }
            Assert.True(plan.SlotCount < net.ValueCount / 4, $"{plan.SlotCount} buffers for {net.ValueCount} values");
        }
    }

    private sealed class Counter(int chunks) : IParallelWork
    {
        public readonly int[] Hits = new int[chunks];
        public readonly int[] Workers = new int[chunks];

        public void RunChunk(int chunk, int worker)
        {
            Interlocked.Increment(ref Hits[chunk]);
            Workers[chunk] = worker;
            Thread.SpinWait(200);
        }
    }

    [Fact]
    public void WorkerPoolRunsEveryChunkExactlyOnceEvenWithConcurrentCallers()
    {
        Gen.Select(Gen.Int[1, 200], Gen.Int[1, 4]).Sample((chunks, threads) =>
        {
            var works = Enumerable.Range(0, 3).Select(_ => new Counter(chunks)).ToArray();
            Parallel.ForEach(works, w => WorkerPool.Shared.Run(w, chunks, threads));
            foreach (var w in works)
            {
                Assert.All(w.Hits, h => Assert.Equal(1, h));
                Assert.All(w.Workers, id => Assert.InRange(id, 0, threads - 1));
            }
        }, iter: 50);
    }

    private sealed class Failing : IParallelWork
    {
        public void RunChunk(int chunk, int worker)
        {
            if (chunk == 3) throw new InvalidOperationException("chunk 3");
        }
    }

    [Fact]
    public void WorkerPoolReportsAFailingChunk()
    {
        var e = Assert.ThrowsAny<Exception>(() => WorkerPool.Shared.Run(new Failing(), 8, 2));
        Assert.Contains("chunk 3", e is AggregateException a ? a.InnerException!.Message : e.Message);
    }
}
