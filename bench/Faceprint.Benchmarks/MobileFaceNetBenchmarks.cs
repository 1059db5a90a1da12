using BenchmarkDotNet.Attributes;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Import.Efm3;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Benchmarks;

/// <summary>The whole paper-size MobileFaceNet (width 1.0, 128-d; random weights, BN folded) at batch 1 and 32.</summary>
[MemoryDiagnoser]
public class MobileFaceNetBenchmarks
{
    private InferenceSession _session = null!;

    /// <summary>Faces per run.</summary>
    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Threads each layer may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the network and fills the input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var network = Efm3Model.Random(MobileFaceNetConfig.FromWidth(1.0, 128), seed: 3).Build();
        _session = new InferenceSession(network, Threads);
        SingleLayer.Random(Batch * 112 * 112 * 3, seed: 4).CopyTo(_session.PrepareInput(new TensorShape(Batch, 112, 112, 3)));
    }

    /// <summary>One batched forward pass.</summary>
    [Benchmark]
    public void Forward() => _session.Run();
}
