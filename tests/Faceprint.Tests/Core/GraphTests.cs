using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Xunit.Abstractions;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>Layers run through <see cref="NetworkBuilder"/> and <see cref="InferenceSession"/>, against a reference composition.</summary>
public sealed class GraphTests(ITestOutputHelper output)
{
    /// <summary>
    /// stem conv 3×3 s2 Symmetric(1) + PReLU → depthwise 3×3 SAME + PReLU → pointwise 1×1 (GEMM) → residual add with the
    /// stem → max-pool 3×3 s2 SAME → 1×1 Symmetric(0) + ReLU (GEMM) → fully connected → softmax. Outputs: softmax, residual.
    /// </summary>
    private sealed class TinyNet
    {
        public const int InC = 3;
        private readonly int _c, _expand, _classes;
        private readonly float[] _stemW, _stemB, _stemA, _dwW, _dwB, _dwA, _pwW, _pwB, _exW, _exB;

        public TinyNet(int seed, int channels = 8, int expand = 13, int classes = 10)
        {
            var r = new Random(seed);
            _c = channels;
            _expand = expand;
            _classes = classes;
            _stemW = RandomFloats(r, _c * InC * 9);
            _stemB = RandomFloats(r, _c);
            _stemA = RandomFloats(r, _c, 0, 0.5f);
            _dwW = RandomFloats(r, _c * 9);
            _dwB = RandomFloats(r, _c);
            _dwA = RandomFloats(r, _c, 0, 0.5f);
            _pwW = RandomFloats(r, _c * _c);
            _pwB = RandomFloats(r, _c);
            _exW = RandomFloats(r, _expand * _c);
            _exB = RandomFloats(r, _expand);
            FcSeed = r.Next();
        }

        private int FcSeed { get; }

        private static (int H, int W) Stem(int h, int w) => (Resolve(Padding.Symmetric(1), h, 3, 2)!.Value.Output, Resolve(Padding.Symmetric(1), w, 3, 2)!.Value.Output);

        private static (int H, int W) Pooled(int h, int w)
        {
            var (sh, sw) = Stem(h, w);
            return ((sh + 1) / 2, (sw + 1) / 2);
        }

        private (float[] W, float[] B) Fc(int h, int w)
        {
            var (ph, pw) = Pooled(h, w);
            var r = new Random(FcSeed);
            return (RandomFloats(r, _classes * ph * pw * _expand, -0.3f, 0.3f), RandomFloats(r, _classes));
        }

        public Network Build(int h, int w)
        {
            var b = new NetworkBuilder();
            int stem = b.Add(new Conv2dLayer("stem", NetworkBuilder.Input, b.NewValue(), _stemW, _stemB, InC, 3, 2, Padding.Symmetric(1), Activation.PRelu(_stemA)));
            int dw = b.Add(new DepthwiseConv2dLayer("dw", stem, b.NewValue(), _dwW, _dwB, 3, 1, Padding.Same, Activation.PRelu(_dwA)));
            int pw = b.Add(new Conv2dLayer("pw", dw, b.NewValue(), _pwW, _pwB, _c, 1, 1, Padding.Valid, Activation.None));
            int residual = b.Add(new AddLayer("residual", stem, pw, b.NewValue()));
            int pool = b.Add(new MaxPool2dLayer("pool", residual, b.NewValue(), 3, 2, Padding.Same));
            int expand = b.Add(new Conv2dLayer("expand", pool, b.NewValue(), _exW, _exB, _c, 1, 1, Padding.Symmetric(0), Activation.Relu));
            var (ph, pw2) = Pooled(h, w);
            var (fcW, fcB) = Fc(h, w);
            int fc = b.Add(new FullyConnectedLayer("fc", expand, b.NewValue(), fcW, fcB, ph * pw2 * _expand, Activation.None));
            int softmax = b.Add(new SoftmaxLayer("softmax", fc, b.NewValue()));
            return b.Build("tiny", InC, softmax, residual);
        }

        public (double[] Softmax, double[] Residual) Reference(double[] input, int n, int h, int w)
        {
            var (sh, sw) = Stem(h, w);
            var stem = RefPRelu(RefConv2d(input, n, h, w, InC, _stemW, _stemB, _c, 3, 3, 2, 2, 1, 1, sh, sw), _stemA);
            var same = Resolve(Padding.Same, sh, 3, 1)!.Value;
            var sameW = Resolve(Padding.Same, sw, 3, 1)!.Value;
            var dw = RefPRelu(RefDepthwise(stem, n, sh, sw, _c, _dwW, _dwB, 3, 3, 1, 1, same.Before, sameW.Before, sh, sw), _dwA);
            var pw = RefConv2d(dw, n, sh, sw, _c, _pwW, _pwB, _c, 1, 1, 1, 1, 0, 0, sh, sw);
            var residual = RefAdd(stem, pw);
            var poolH = Resolve(Padding.Same, sh, 3, 2)!.Value;
            var poolW = Resolve(Padding.Same, sw, 3, 2)!.Value;
            var pool = RefMaxPool(residual, n, sh, sw, _c, 3, 3, 2, 2, poolH.Before, poolW.Before, poolH.Output, poolW.Output);
            var expand = RefRelu(RefConv2d(pool, n, poolH.Output, poolW.Output, _c, _exW, _exB, _expand, 1, 1, 1, 1, 0, 0, poolH.Output, poolW.Output));
            var (fcW, fcB) = Fc(h, w);
            var fc = RefFullyConnected(expand, n, poolH.Output * poolW.Output * _expand, fcW, fcB);
            return (RefSoftmax(fc, _classes), residual);
        }
    }

    private static float[] Fill(InferenceSession session, TensorShape shape, int seed)
    {
        var input = RandomFloats(new Random(seed), shape.Size);
        input.CopyTo(session.PrepareInput(shape));
        return input;
    }

    [Fact]
    public void TinyNetworkMatchesReferenceComposition()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[3, 12], Gen.Int[3, 12], Gen.Int).Sample((n, h, w, seed) =>
        {
            var net = new TinyNet(seed);
            var session = new InferenceSession(net.Build(h, w));
            var shape = new TensorShape(n, h, w, TinyNet.InC);
            var input = Fill(session, shape, seed ^ 0x5a5a);
            session.Run();
            var (softmax, residual) = net.Reference(ToDouble(input), n, h, w);
            Assert.Equal(new TensorShape(n, 1, 1, 10), session.OutputShape(0));
            AssertClose(session.Output(0), softmax, $"softmax n{n} {h}x{w}");
            AssertClose(session.Output(1), residual, $"residual n{n} {h}x{w}");
        }, iter: 60);
    }

    [Fact]
    public void PointwiseGemmPathAndDirectPathBothMatchReference()
    {
        // Same 1×1 weights three ways: kernel 1 Valid and kernel 1 Symmetric(0) take the GEMM path; a 3×3 kernel that is zero
        // except its centre, with Symmetric(1), takes the direct path and computes the same function. A 1×1 stride-2 conv also
        // runs direct and must equal the stride-1 result subsampled.
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 9], Gen.Int).Sample((cin, cout, size, seed) =>
        {
            var r = new Random(seed);
            var w1 = RandomFloats(r, cout * cin);
            var bias = RandomFloats(r, cout);
            var w3 = new float[cout * cin * 9];
            for (int i = 0; i < cout * cin; i++) w3[i * 9 + 4] = w1[i];
            var b = new NetworkBuilder();
            int valid = b.Add(new Conv2dLayer("valid", 0, b.NewValue(), w1, bias, cin, 1, 1, Padding.Valid, Activation.None));
            int sym0 = b.Add(new Conv2dLayer("sym0", 0, b.NewValue(), w1, bias, cin, 1, 1, Padding.Symmetric(0), Activation.None));
            int direct = b.Add(new Conv2dLayer("direct", 0, b.NewValue(), w3, bias, cin, 3, 1, Padding.Symmetric(1), Activation.None));
            int strided = b.Add(new Conv2dLayer("strided", 0, b.NewValue(), w1, bias, cin, 1, 2, Padding.Valid, Activation.None));
            var session = new InferenceSession(b.Build("pointwise", cin, valid, sym0, direct, strided));
            var shape = new TensorShape(2, size, size + 1, cin);
            var input = Fill(session, shape, seed);
            session.Run();
            var expected = RefConv2d(ToDouble(input), 2, size, size + 1, cin, w1, bias, cout, 1, 1, 1, 1, 0, 0, size, size + 1);
            AssertClose(session.Output(0), expected, "gemm (Valid)");
            AssertClose(session.Output(1), expected, "gemm (Symmetric(0))");
            AssertClose(session.Output(2), expected, "direct 3x3 centre tap");
            AssertClose(session.Output(0), session.Output(2), "gemm vs direct", 1e-5);
            int oh = (size + 1) / 2, ow = (size + 2) / 2;
            Assert.Equal(new TensorShape(2, oh, ow, cout), session.OutputShape(3));
            var stridedExpected = RefConv2d(ToDouble(input), 2, size, size + 1, cin, w1, bias, cout, 1, 1, 2, 2, 0, 0, oh, ow);
            AssertClose(session.Output(3), stridedExpected, "1x1 stride 2");
        }, iter: 60);
    }

    [Fact]
    public void SecondRunWithTheSameShapeReusesBuffers()
    {
        var net = new TinyNet(7);
        var session = new InferenceSession(net.Build(12, 12), threads: 1);
        var shape = new TensorShape(2, 12, 12, TinyNet.InC);
        var input = Fill(session, shape, 1);
        session.Run();
        var first = session.Output(0).ToArray();
        var firstResidual = session.Output(1).ToArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"second run allocated {allocated} bytes");
        Assert.True(allocated < 1024, $"second run allocated {allocated} bytes");
        Assert.Equal(first, session.Output(0).ToArray());
        Assert.Equal(firstResidual, session.Output(1).ToArray());
    }

    [Fact]
    public void ShapeChangesReplanAndMatchAFreshSession()
    {
        var net = new TinyNet(11);
        var network = net.Build(10, 10);
        var session = new InferenceSession(network);
        // FC fixes the per-image size, so only the batch can change: 3 → 1 → 2 → 3.
        foreach (int n in new[] { 3, 1, 2, 3 })
        {
            var shape = new TensorShape(n, 10, 10, TinyNet.InC);
            var input = Fill(session, shape, n);
            session.Run();
            var fresh = new InferenceSession(network);
            input.CopyTo(fresh.PrepareInput(shape));
            fresh.Run();
            Assert.Equal(fresh.Output(0).ToArray(), session.Output(0).ToArray());
            Assert.Equal(shape.N * 10, session.Output(0).Length);
            AssertClose(session.Output(0), net.Reference(ToDouble(input), n, 10, 10).Softmax, $"batch {n}");
        }
    }

    [Fact]
    public void BatchEqualsSeparateSingleRuns()
    {
        Gen.Select(Gen.Int[2, 5], Gen.Int).Sample((n, seed) =>
        {
            var network = new TinyNet(seed).Build(9, 11);
            var batch = new InferenceSession(network);
            var input = Fill(batch, new TensorShape(n, 9, 11, TinyNet.InC), seed);
            batch.Run();
            var single = new InferenceSession(network);
            int per = 9 * 11 * TinyNet.InC;
            for (int i = 0; i < n; i++)
            {
                input.AsSpan(i * per, per).CopyTo(single.PrepareInput(new TensorShape(1, 9, 11, TinyNet.InC)));
                single.Run();
                AssertClose(batch.Output(0).Slice(i * 10, 10), single.Output(0), $"image {i} softmax", 1e-6);
                int residual = single.Output(1).Length;
                AssertClose(batch.Output(1).Slice(i * residual, residual), single.Output(1), $"image {i} residual", 1e-6);
            }
        }, iter: 20);
    }

    [Fact]
    public void TwoThreadsEqualOneThread()
    {
        // Big enough that RowParallel actually splits the conv, depthwise, pointwise and pool rows (≥ 200k MACs per thread).
        var r = new Random(3);
        int cin = 16, c = 32;
        float[] convW = RandomFloats(r, c * cin * 9), convB = RandomFloats(r, c), alpha = RandomFloats(r, c, 0, 0.3f);
        float[] dwW = RandomFloats(r, c * 25), dwB = RandomFloats(r, c), pwW = RandomFloats(r, c * c), pwB = RandomFloats(r, c);
        var b = new NetworkBuilder();
        int conv = b.Add(new Conv2dLayer("conv", 0, b.NewValue(), convW, convB, cin, 3, 1, Padding.Same, Activation.PRelu(alpha)));
        int dw = b.Add(new DepthwiseConv2dLayer("dw", conv, b.NewValue(), dwW, dwB, 5, 1, Padding.Symmetric(2), Activation.Relu));
        int pw = b.Add(new Conv2dLayer("pw", dw, b.NewValue(), pwW, pwB, c, 1, 1, Padding.Valid, Activation.None));
        int pool = b.Add(new MaxPool2dLayer("pool", pw, b.NewValue(), 3, 1, Padding.Same));
        var network = b.Build("wide", cin, pool, pw);
        var shape = new TensorShape(2, 24, 24, cin);
        var input = RandomFloats(r, shape.Size);

        var one = new InferenceSession(network, threads: 1);
        input.CopyTo(one.PrepareInput(shape));
        one.Run();
        var two = new InferenceSession(network, threads: 2);
        input.CopyTo(two.PrepareInput(shape));
        two.Run();
        AssertClose(two.Output(0), one.Output(0), "pool", 1e-6);
        AssertClose(two.Output(1), one.Output(1), "pointwise", 1e-6);

        var convRef = RefPRelu(RefConv2d(ToDouble(input), 2, 24, 24, cin, convW, convB, c, 3, 3, 1, 1, 1, 1, 24, 24), alpha);
        var dwRef = RefRelu(RefDepthwise(convRef, 2, 24, 24, c, dwW, dwB, 5, 5, 1, 1, 2, 2, 24, 24));
        var pwRef = RefConv2d(dwRef, 2, 24, 24, c, pwW, pwB, c, 1, 1, 1, 1, 0, 0, 24, 24);
        AssertClose(two.Output(1), pwRef, "pointwise vs reference");
        AssertClose(two.Output(0), RefMaxPool(pwRef, 2, 24, 24, c, 3, 3, 1, 1, 1, 1, 24, 24), "pool vs reference");
    }

    [Fact]
    public void ShapeErrorsAndMisuse()
    {
        var w = new float[4 * 3 * 9];
        var bias = new float[4];
        Assert.Throws<ModelFormatException>(() => new Conv2dLayer("bad", 0, 1, new float[5], bias, 3, 3, 1, Padding.Valid, Activation.None));
        Assert.Throws<ModelFormatException>(() => new DepthwiseConv2dLayer("bad", 0, 1, new float[5], bias, 3, 1, Padding.Valid, Activation.None));
        Assert.Throws<ModelFormatException>(() => new FullyConnectedLayer("bad", 0, 1, new float[5], bias, 3, Activation.None));

        var b = new NetworkBuilder();
        int conv = b.Add(new Conv2dLayer("conv", 0, b.NewValue(), w, bias, 3, 3, 1, Padding.Valid, Activation.None));
        int add = b.Add(new AddLayer("add", conv, conv, b.NewValue()));
        var network = b.Build("net", 3, add);
        Assert.Throws<InvalidOperationException>(() => new InferenceSession(network).Run());
        Assert.Throws<ArgumentException>(() => network.InferShapes(new TensorShape(1, 8, 8, 4)));
        Assert.Throws<InvalidOperationException>(() => network.InferShapes(new TensorShape(1, 2, 8, 3)));
        Assert.Equal(new TensorShape(1, 6, 6, 4), network.InferShapes(new TensorShape(1, 8, 8, 3))[add]);
        Assert.Equal(36L * 4 * 3 * 9, network.CountMacs(new TensorShape(1, 8, 8, 3)));

        var b2 = new NetworkBuilder();
        int s1 = b2.Add(new Conv2dLayer("s1", 0, b2.NewValue(), w, bias, 3, 3, 1, Padding.Same, Activation.None));
        int s2 = b2.Add(new Conv2dLayer("s2", 0, b2.NewValue(), w, bias, 3, 3, 1, Padding.Valid, Activation.None));
        b2.Add(new AddLayer("mismatch", s1, s2, b2.NewValue()));
        Assert.Throws<InvalidOperationException>(() => b2.Build("bad", 3, 3).InferShapes(new TensorShape(1, 8, 8, 3)));
    }
}
