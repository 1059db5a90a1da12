using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>
/// <see cref="Int8StemConv"/> (few-channel int8 conv over interleaved input rows) on every instruction set this CPU runs,
/// bit for bit against a plain loop over the window, for float and per-channel code output.
/// </summary>
public sealed class Int8StemConvTests
{
    /// <summary>One problem: kernel, stride and padding per axis (PadKind 0/1/2 = Valid/Same/Symmetric(k/2)), a pixel sub-range in eighths.</summary>
    internal sealed record StemCase(Int8Isa Isa, int N, int H, int W, int InC, int OutC, int KH, int KW, int SH, int SW, int PadKind, int Lo, int Hi,
        int Act, bool Residual, bool OneSided, int Seed)
    {
        public (int Output, int Before)? AxisH => Resolve(PaddingFor(PadKind, KH), H, KH, SH);
        public (int Output, int Before)? AxisW => Resolve(PaddingFor(PadKind, KW), W, KW, SW);
        public bool Valid => AxisH is { Output: > 0 } && AxisW is { Output: > 0 };

        public ConvGeometry Geometry()
        {
            var (outH, top) = AxisH!.Value;
            var (outW, left) = AxisW!.Value;
            return new ConvGeometry(H, W, InC, outH, outW, OutC, KH, KW, SH, SW, top, left);
        }
    }

    private static readonly Gen<Int8Isa> Isas = Gen.Int[0, Int8Isas.Supported.Count - 1].Select(i => Int8Isas.Supported[i]);

    // Kernels up to 4 rows take the vpermb interleave (3) and the move loop (4); widths up to 40 give rows of several
    // 12-pixel tiles and vector groups plus edges; 1–40 output channels give one to three column panels with every tail.
    private static readonly Gen<StemCase> Cases =
        (from isa in Isas
         from n in Gen.Int[1, 2]
         from h in Gen.Int[1, 14]
         from w in Gen.Int[1, 40]
         from inC in Gen.Int[1, StemConvKernel.MaxInChannels]
         from outC in Gen.Int[1, 40]
         from kh in Gen.Int[1, 4]
         from kw in Gen.Int[1, 4]
         from sh in Gen.Int[1, 2]
         from sw in Gen.Int[1, 2]
         from pad in Gen.Int[0, 2]
         from lo in Gen.Int[0, 8]
         from hi in Gen.Int[0, 8]
         from act in Gen.Int[0, 2]
         from residual in Gen.Bool
         from oneSided in Gen.Bool
         from seed in Gen.Int
         select new StemCase(isa, n, h, w, inC, outC, kh, kw, sh, sw, pad, lo, hi, act, residual, oneSided, seed))
        .Where(c => c.Valid && !(c.KH == 1 && c.KW == 1 && c.SH == 1 && c.SW == 1));

    /// <summary>File-order [cout, cin, kh, kw] codes → the (kx, ky, ci) rows the kernel multiplies.</summary>
    private static sbyte[] BandRows(sbyte[] codes, int cout, int cin, int kh, int kw)
    {
        var rows = new sbyte[codes.Length];
        int k = cin * kh * kw;
        for (int o = 0; o < cout; o++)
            for (int ci = 0; ci < cin; ci++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        rows[o * k + (kx * kh + ky) * cin + ci] = codes[((o * cin + ci) * kh + ky) * kw + kx];
        return rows;
    }

    private sealed record Problem(ConvGeometry G, float[] Input, sbyte[] Codes, float[] Scales, float[] Bias, Activation Act, QuantParams Q,
        Int8GemmWeights Weights, int Pixels, int Start, int End);

    private static Problem Make(StemCase c, Random random)
    {
        var g = c.Geometry();
        float low = c.OneSided ? 0f : -1f;
        // Values past the calibrated range clip at the extreme codes.
        float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC, low * 1.3f, 1.3f);
        float[] kernel = RandomFloats(random, c.OutC * c.InC * c.KH * c.KW), bias = RandomFloats(random, c.OutC);
        var q = QuantParams.FromRange(low, 1f);
        var act = GemmTests.MakeActivation(c.Act, random, c.OutC);
        var (codes, scales) = Int8GemmWeights.QuantizeWeights(kernel, c.InC * c.KH * c.KW, c.OutC);
        var weights = new Int8GemmWeights(BandRows(codes, c.OutC, c.InC, c.KH, c.KW), scales, c.InC * c.KH * c.KW, c.OutC, bias, act, q, c.Isa);
        int pixels = c.N * g.OutH * g.OutW;
        return new Problem(g, input, codes, scales, bias, act, q, weights, pixels, pixels * Math.Min(c.Lo, c.Hi) / 8, pixels * Math.Max(c.Lo, c.Hi) / 8);
    }

    [Fact]
    public void MatchesTheWindowReferenceBitForBitOnTheRequestedPixels()
    {
        Cases.Sample(c =>
        {
            var p = Make(c, new Random(c.Seed));
            var residual = c.Residual ? RandomFloats(new Random(c.Seed + 1), p.Pixels * c.OutC) : null;
            var output = new float[p.Pixels * c.OutC];
            Array.Fill(output, float.NaN);
            Int8StemConv.Run(p.Input, p.G, p.Weights, output, p.Start, p.End, new byte[Int8StemConv.ScratchBytes(p.G, p.Weights)], residual);
            var expected = Int8ConvReference.Window(p.Input, p.G, c.N, p.Codes, p.Scales, p.Bias, p.Act, p.Q, residual, p.Q.Quantize);
            for (int i = 0; i < output.Length; i++)
            {
                bool inside = i >= p.Start * c.OutC && i < p.End * c.OutC;
                if (inside) Assert.True(output[i].Equals(expected[i]), $"{c} {p.G}: element {i} is {output[i]}, expected {expected[i]}");
                else Assert.True(float.IsNaN(output[i]), $"{c}: wrote element {i} outside pixels [{p.Start},{p.End})");
            }
        }, iter: 400);
    }

    [Fact]
    public void WritesEachChannelsCodesOfTheReferenceFloats()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var p = Make(c, random);
            // Narrow ranges for some channels, so codes saturate at both ends and round at every step.
            var channels = Enumerable.Range(0, c.OutC).Select(_ => QuantParams.FromRange(-(float)random.NextDouble() * 3, (float)random.NextDouble() * 3)).ToArray();
            var floats = Int8ConvReference.Window(p.Input, p.G, c.N, p.Codes, p.Scales, p.Bias, p.Act, p.Q, null, p.Q.Quantize);
            var expected = new byte[floats.Length];
            Array.Fill(expected, (byte)0xAB);
            for (int i = p.Start * c.OutC; i < p.End * c.OutC; i++) expected[i] = (byte)channels[i % c.OutC].Quantize(floats[i]);
            var codes = new byte[floats.Length];
            Array.Fill(codes, (byte)0xAB);
            Int8StemConv.RunCodes(p.Input, p.G, p.Weights, new StemConvCodes(channels), codes, p.Start, p.End, new byte[Int8StemConv.ScratchBytes(p.G, p.Weights)]);
            Assert.True(expected.AsSpan().SequenceEqual(codes), $"{c} {p.G} pixels [{p.Start},{p.End})");
        }, iter: 300);
    }

    [Fact]
    public void BandOrderIsTheKernelColumnsOuterOrder()
    {
        var random = new Random(3);
        const int cout = 5, cin = 3, kh = 2, kw = 3;
        var kernel = RandomFloats(random, cout * cin * kh * kw);
        var (codes, _) = Int8GemmWeights.QuantizeWeights(kernel, cin * kh * kw, cout);
        Assert.Equal(BandRows(codes, cout, cin, kh, kw), Int8StemConv.ToBandOrder<sbyte>(Int8Conv.ToGemmOrder<sbyte>(codes, cout, cin, kh, kw), cout, cin, kh, kw));
        Assert.Throws<ArgumentException>(() => Int8StemConv.ToBandOrder<sbyte>(codes.AsSpan(1), cout, cin, kh, kw));
    }

    [Fact]
    public void RefusesManyChannelsAndPlainGemms()
    {
        var weights = Int8GemmWeights.FromFloat(new float[16 * 8 * 9], 8 * 9, 16, new float[16], Activation.None, QuantParams.FromRange(-1, 1), Int8Isa.Portable);
        var g = ConvGeometry.Square(new TensorShape(1, 8, 8, 8), 16, 3, 2, Padding.Same);
        Assert.False(Int8StemConv.Supports(g));
        Assert.Throws<ArgumentException>(() => Int8StemConv.Run(new float[8 * 8 * 8], g, weights, new float[16 * 16], 0, 16, new byte[1 << 16]));
        Assert.False(Int8StemConv.Supports(ConvGeometry.Square(new TensorShape(1, 8, 8, 3), 16, 1, 1, Padding.Valid)));
    }

    [Theory]
    [InlineData(24, 1)]
    [InlineData(64, 2)]
    public void LayerWritesTheCodesOfItsFloatOutputAndTheQuantizerUsesThemForTheStem(int cout, int threads)
    {
        var random = new Random(cout);
        var shape = new TensorShape(2, 23, 17, 3);
        var prelu = Activation.PRelu(RandomFloats(random, cout, 0, 0.3f));
        var conv = new Conv2dLayer("stem", 0, 1, RandomFloats(random, cout * 27, -0.3f, 0.3f), RandomFloats(random, cout), 3, 3, 2, Padding.Symmetric(1), prelu);
        var channels = Enumerable.Range(0, cout).Select(_ => QuantParams.FromRange(-(float)random.NextDouble() * 2, (float)random.NextDouble() * 2)).ToArray();
        float[] x = RandomFloats(random, shape.Size);
        foreach (var isa in Int8Isas.Supported)
        {
            var int8 = Int8Conv2dLayer.FromConv(conv, QuantParams.FromRange(-1f, 1f), isa);
            Assert.True(int8.CanWriteCodes);
            var withCodes = int8.WithOutputCodes(channels, 1);
            Assert.Equal(channels, withCodes.OutputCodes);
            var output = int8.InferShape([shape]);
            var floats = new[] { x, new float[output.Size] };
            int8.Run(new LayerArgs(floats, [shape, output], int8, threads));
            var coded = new[] { x, new float[output.Size] };
            withCodes.Run(new LayerArgs(coded, [shape, output], withCodes, threads));
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(coded[1].AsSpan());
            for (int i = 0; i < output.Size; i++)
                Assert.True(bytes[i] == channels[i % cout].Quantize(floats[1][i]), $"{isa}: element {i}");
        }
    }

    [Fact]
    public void QuantizedNanoStemWritesTheDepthwiseConvsCodesWithoutAQuantizePass()
    {
        var network = RandomNetworks.MobileFaceNet(Faceprint.Models.MobileFaceNet.MobileFaceNetConfig.FaceXNano);
        var one = new TensorShape(1, 112, 112, 3);
        var calibrator = new ActivationCalibrator(network);
        calibrator.Observe(RandomFloats(new Random(4), one.Size), one);
        var stem = network.Optimized.Layers.OfType<Conv2dLayer>().First(l => l.Kernel > 1);
        var perChannel = NetworkQuantizer.PerChannelByDefault(network).ToDictionary(l => l, l => (IReadOnlyList<QuantParams>)calibrator.ChannelRanges[l].Params());
        var int8 = NetworkQuantizer.Quantize(network, calibrator.Ranges.ToDictionary(kv => kv.Key, kv => kv.Value.Params(CalibrationMethod.MinMax)),
            channelInputs: perChannel);
        var quantizedStem = Assert.IsType<Int8Conv2dLayer>(int8.Layers.Single(l => l.Name == stem.Name));
        Assert.NotNull(quantizedStem.OutputCodes);
        var reader = int8.Layers.Single(l => l.Inputs.Contains(quantizedStem.Output));
        Assert.IsType<Int8DepthwiseConvLayer>(reader);
        Assert.Equal(perChannel[reader.Name], quantizedStem.OutputCodes);
    }
}
