using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The int8 k×k conv on every instruction set this CPU runs, bit for bit against a plain loop over the window.</summary>
public sealed class Int8ConvTests
{
    /// <summary>Pad 0/1/2 = Valid/Same/Explicit(1); Activation 0/1/2 = None/ReLU/PReLU; Start/End pick the output pixels computed.</summary>
    internal sealed record ConvCase(Int8Isa Isa, int N, int H, int W, int Cin, int Cout, int Kernel, int Stride, int Pad, int Activation,
        bool Residual, bool OneSided, int Start, int End, int Seed);

    private static readonly Gen<Int8Isa> Isas = Gen.Int[0, Int8Isas.Supported.Count - 1].Select(i => Int8Isas.Supported[i]);

    private static Padding PaddingOf(int pad) => pad switch { 1 => Padding.Same, 2 => Padding.Symmetric(1), _ => Padding.Valid };

    // Images up to 3 so ranges cross image boundaries; sizes up to 23 so tiles of 84 pixels split images; kernels 1-5 with
    // strides 1-3 (a 1×1 stride-2 conv is not pointwise); channels past 16 give two weight panels and K past 4 every padding.
    private static readonly Gen<ConvCase> Cases =
        from isa in Isas
        from n in Gen.Int[1, 3]
        from kernel in Gen.Int[1, 5]
        from h in Gen.Int[kernel, 23]
        from w in Gen.Int[kernel, 23]
        from cin in Gen.Int[1, 20]
        from cout in Gen.Int[1, 40]
        from stride in Gen.Int[1, 3]
        from pad in Gen.Int[0, 2]
        from act in Gen.Int[0, 2]
        from residual in Gen.Bool
        from oneSided in Gen.Bool
        from a in Gen.Int[0, 10_000]
        from b in Gen.Int[0, 10_000]
        from seed in Gen.Int
        select new ConvCase(isa, n, h, w, cin, cout, kernel, stride, pad, act, residual, oneSided, Math.Min(a, b), Math.Max(a, b), seed);

    private static int CodeOf(float x, QuantParams q)
    {
        float t = Math.Clamp(x / q.Scale, -512f, 512f);
        return Math.Clamp((int)Math.Round(t, MidpointRounding.ToEven) + q.ZeroPoint, 0, 255);
    }

    [Fact]
    public void MatchesTheWindowReferenceBitForBitOnTheRequestedPixels()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var shape = new TensorShape(c.N, c.H, c.W, c.Cin);
            var g = ConvGeometry.Square(shape, c.Cout, c.Kernel, c.Stride, PaddingOf(c.Pad));
            if (g.OutH <= 0 || g.OutW <= 0) return;
            int pixels = c.N * g.OutH * g.OutW, start = c.Start % (pixels + 1), end = Math.Max(start, c.End % (pixels + 1));
            float low = c.OneSided ? 0f : -1f;
            // Values past the calibrated range clip at the extreme codes.
            float[] x = RandomFloats(random, shape.Size, low * 1.3f, 1.3f);
            float[] kernel = RandomFloats(random, c.Cout * c.Cin * c.Kernel * c.Kernel), bias = RandomFloats(random, c.Cout);
            var q = QuantParams.FromRange(low, 1f);
            var act = GemmTests.MakeActivation(c.Activation, random, c.Cout);
            var residual = c.Residual ? RandomFloats(random, pixels * c.Cout) : null;
            var (codes, scales) = Int8GemmWeights.QuantizeWeights(kernel, c.Cin * c.Kernel * c.Kernel, c.Cout);
            var weights = new Int8GemmWeights(Int8Conv.ToGemmOrder<sbyte>(codes, c.Cout, c.Cin, c.Kernel, c.Kernel), scales,
                c.Cin * c.Kernel * c.Kernel, c.Cout, bias, act, q, c.Isa);
            var output = new float[pixels * c.Cout];
            Array.Fill(output, float.NaN);
            Int8Conv.Run(x, g, weights, output, start, end, new byte[Int8Conv.ScratchBytes(g, weights)], residual);
            var expected = Int8ConvReference.Window(x, g, c.N, codes, scales, bias, act, q, residual, v => CodeOf(v, q));
            for (int i = 0; i < output.Length; i++)
            {
                bool inside = i >= start * c.Cout && i < end * c.Cout;
                if (inside) Assert.True(output[i].Equals(expected[i]), $"{c}: element {i} is {output[i]}, expected {expected[i]}");
                else Assert.True(float.IsNaN(output[i]), $"{c}: wrote element {i} outside pixels [{start},{end})");
            }
        }, iter: 300);
    }

    [Fact]
    public void ReorderedKernelQuantizesToTheSameCodesAsTheFileOrder()
    {
        var random = new Random(5);
        const int cout = 7, cin = 5, k = 3;
        var kernel = RandomFloats(random, cout * cin * k * k);
        var (codes, scales) = Int8GemmWeights.QuantizeWeights(kernel, cin * k * k, cout);
        var (gemmCodes, gemmScales) = Int8GemmWeights.QuantizeWeights(Int8Conv.ToGemmOrder<float>(kernel, cout, cin, k, k), cin * k * k, cout);
        Assert.Equal(scales, gemmScales);
        Assert.Equal(Int8Conv.ToGemmOrder<sbyte>(codes, cout, cin, k, k), gemmCodes);
        Assert.Equal(kernel, Int8Conv.ToKernelOrder<float>(Int8Conv.ToGemmOrder<float>(kernel, cout, cin, k, k), cout, cin, k, k));
        Assert.Throws<ArgumentException>(() => Int8Conv.ToGemmOrder<float>(kernel.AsSpan(1), cout, cin, k, k));
    }

    [Theory]
    [InlineData(3, 16, 3, 2, 1, 1)] // an embedder's stem: 3×3 stride 2, SAME
    [InlineData(10, 16, 3, 1, 0, 1)] // P-Net's second conv
    [InlineData(48, 64, 2, 1, 0, 2)] // R-Net's last conv on a batch of crops
    public void FollowsTheFloatLayerWithinTheQuantizationStep(int cin, int cout, int kernel, int stride, int pad, int batch)
    {
        var random = new Random(cin * 31 + cout);
        var shape = new TensorShape(batch, 24, 20, cin);
        var prelu = Activation.PRelu(RandomFloats(random, cout, 0, 0.3f));
        var conv = new Conv2dLayer("conv", 0, 1, RandomFloats(random, cout * cin * kernel * kernel, -0.3f, 0.3f), RandomFloats(random, cout),
            cin, kernel, stride, PaddingOf(pad), prelu);
        float[] x = RandomFloats(random, shape.Size);
        var fp32 = RunLayer(conv, x, shape);
        // Stored codes in file order give the layer that quantizing the float kernel gives.
        var (codes, scales) = Int8GemmWeights.QuantizeWeights(conv.Weight.ToArray(), cin * kernel * kernel, cout);
        var stored = new QuantizedTensor("conv.weight", [cout, cin, kernel, kernel], codes, scales);
        foreach (var isa in Int8Isas.Supported)
        {
            var int8 = RunLayer(Int8Conv2dLayer.FromConv(conv, QuantParams.FromRange(-1f, 1f), isa), x, shape);
            Assert.Equal(int8, RunLayer(Int8Conv2dLayer.FromConv(conv, QuantParams.FromRange(-1f, 1f), isa, stored), x, shape));
            double rms = Math.Sqrt(fp32.Zip(int8, (a, b) => (double)(a - b) * (a - b)).Average());
            double scale = Math.Sqrt(fp32.Average(v => (double)v * v));
            Assert.True(rms < 0.02 * scale, $"{isa}: rms error {rms} against rms output {scale}");
        }
    }

    private static float[] RunLayer(Layer layer, float[] x, TensorShape shape)
    {
        var output = layer.InferShape([shape]);
        var values = new[] { x, new float[output.Size] };
        layer.Run(new LayerArgs(values, [shape, output], layer, threads: 2));
        return values[1];
    }

    [Fact]
    public void QuantizerRunsTheStemInEightBitsWhenCalibrated()
    {
        var network = RandomNetworks.MobileFaceNet(Faceprint.Models.MobileFaceNet.MobileFaceNetConfig.FaceXNano);
        var one = new TensorShape(1, 112, 112, 3);
        var calibrator = new ActivationCalibrator(network);
        calibrator.Observe(RandomFloats(new Random(4), one.Size), one);
        var inputs = calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax));
        var stem = network.Optimized.Layers.OfType<Conv2dLayer>().First(l => l.Kernel > 1);
        Assert.Contains(stem.Name, inputs.Keys);
        var int8 = NetworkQuantizer.Quantize(network, inputs);
        Assert.IsType<Int8Conv2dLayer>(int8.Layers.Single(l => l.Name == stem.Name));
        var kept = NetworkQuantizer.Quantize(network, inputs, new HashSet<string> { stem.Name });
        Assert.IsType<Conv2dLayer>(kept.Layers.Single(l => l.Name == stem.Name));
    }
}
