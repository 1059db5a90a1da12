using BenchmarkDotNet.Attributes;
using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Benchmarks;

/// <summary>
/// The kernels MobileFaceNet spends its time in, at the shapes it runs them: a 1×1 conv as GEMM (stage-3 expand,
/// 14²×128→256), a depthwise 3×3 (stage-1, 28²×128), and the stem 3×3 stride-2 conv (112²×3→64), all with PReLU.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private InferenceSession _gemm = null!;
    private InferenceSession _depthwise = null!;
    private InferenceSession _stem = null!;

    /// <summary>Threads each layer may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the three single-layer sessions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _gemm = SingleLayer.Session((i, o) => new Conv2dLayer("gemm", i, o, SingleLayer.Random(256 * 128, 2), SingleLayer.Random(256, 3), 128, 1, 1,
            Padding.Valid, Activation.PRelu(SingleLayer.Random(256, 4))), new TensorShape(1, 14, 14, 128), Threads);
        _depthwise = SingleLayer.Session((i, o) => new DepthwiseConv2dLayer("dw", i, o, SingleLayer.Random(128 * 9, 5), SingleLayer.Random(128, 6), 3, 1,
            Padding.Symmetric(1), Activation.PRelu(SingleLayer.Random(128, 7))), new TensorShape(1, 28, 28, 128), Threads);
        _stem = SingleLayer.Session((i, o) => new Conv2dLayer("stem", i, o, SingleLayer.Random(64 * 27, 8), SingleLayer.Random(64, 9), 3, 3, 2,
            Padding.Symmetric(1), Activation.PRelu(SingleLayer.Random(64, 10))), new TensorShape(1, 112, 112, 3), Threads);
    }

    /// <summary>1×1 conv 14²×128 → 256 (a GEMM of 196×128 by 128×256).</summary>
    [Benchmark]
    public void Gemm1x1() => _gemm.Run();

    /// <summary>Depthwise 3×3 on 28²×128.</summary>
    [Benchmark]
    public void Depthwise3x3() => _depthwise.Run();

    /// <summary>Stem conv 3×3 stride 2, 112²×3 → 56²×64.</summary>
    [Benchmark]
    public void StemConv() => _stem.Run();
}
