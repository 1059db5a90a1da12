using CsCheck;
using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>
/// <see cref="StemConvKernel"/> (taps read in place for few input channels) against the plain reference loop within the
/// shared fp32 tolerance, and against im2col + GEMM on the same instruction set bit for bit, on every path this CPU runs.
/// </summary>
public sealed class StemConvKernelTests
{
    /// <summary>One problem: kernel, stride and padding per axis (PadKind 0/1/2 = Valid/Same/Symmetric(k/2)), a pixel sub-range in eighths.</summary>
    private sealed record StemCase(int N, int H, int W, int InC, int OutC, int KH, int KW, int SH, int SW, int PadKind, int Lo, int Hi,
        int Act, bool Residual, int Seed)
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

    // Widths up to 30 give rows with several full register tiles plus a remainder; 1–70 output channels cover one to
    // three column panels with every tail; GELU (3) never comes with a residual, as in the GEMM.
    private static readonly Gen<StemCase> Cases =
        (from n in Gen.Int[1, 2]
         from h in Gen.Int[1, 16]
         from w in Gen.Int[1, 30]
         from inC in Gen.Int[1, StemConvKernel.MaxInChannels]
         from outC in Gen.Int[1, 70]
         from kh in KernelSize
         from kw in KernelSize
         from sh in Gen.Int[1, 2]
         from sw in Gen.Int[1, 2]
         from pad in Gen.Int[0, 2]
         from lo in Gen.Int[0, 8]
         from hi in Gen.Int[0, 8]
         from act in Gen.Int[0, 4]
         from residual in Gen.Bool
         from seed in Gen.Int
         select new StemCase(n, h, w, inC, outC, kh, kw, sh, sw, pad, lo, hi, act, residual && act != 3, seed))
        .Where(c => c.Valid && !(c.KH == 1 && c.KW == 1 && c.SH == 1 && c.SW == 1));

    private static double[] Activate(double[] c, Activation act) => act.Kind switch
    {
        ActivationKind.Relu => RefRelu(c),
        ActivationKind.PRelu => RefPRelu(c, act.Slopes!),
        ActivationKind.Gelu => Faceprint.Tests.Reference.TorchReference.Gelu(c),
        ActivationKind.Relu6 => c.Select(v => Math.Clamp(v, 0, 6)).ToArray(),
        _ => c,
    };

    [Fact]
    public void MatchesTheReferenceAndTheIm2ColGemmBitForBitOnEveryIsa()
    {
        foreach (var isa in KernelIsas.Supported)
        {
            Cases.Sample(c =>
            {
                var random = new Random(c.Seed);
                var g = c.Geometry();
                float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
                float[] weight = RandomFloats(random, c.OutC * c.InC * c.KH * c.KW);
                float[] bias = RandomFloats(random, c.OutC);
                var act = GemmTests.MakeActivation(c.Act, random, c.OutC);
                int pixels = c.N * g.OutH * g.OutW;
                float[]? residual = c.Residual ? RandomFloats(random, pixels * c.OutC) : null;
                var packed = GemmWeights.FromConvKernel(weight, c.OutC, c.InC, c.KH, c.KW, bias, act, isa);
                int start = pixels * Math.Min(c.Lo, c.Hi) / 8, end = pixels * Math.Max(c.Lo, c.Hi) / 8;
                string context = $"{isa} {c} {g} pixels [{start},{end})";

                var output = new float[pixels * c.OutC];
                Array.Fill(output, float.NaN);
                StemConvKernel.Run(input, g, packed, output, start, end, residual);
                var expected = Activate(RefConv2d(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.OutC, c.KH, c.KW, c.SH, c.SW,
                    g.PadTop, g.PadLeft, g.OutH, g.OutW), act);
                if (residual is not null) expected = RefAdd(expected, ToDouble(residual));
                ConvKernelTests.AssertRows(output, expected, start, end, c.OutC, context);

                // The im2col GEMM adds 0·w for taps over the padding where this kernel skips them: the same sums, in the same order.
                var viaGemm = new float[pixels * c.OutC];
                Array.Fill(viaGemm, float.NaN);
                ConvKernelTests.ConvViaGemm(input, packed, viaGemm, g, start, end, residual);
                for (int i = start * c.OutC; i < end * c.OutC; i++)
                    Assert.True(output[i] == viaGemm[i], $"{context}: element {i} is {output[i]:R}, im2col + GEMM gives {viaGemm[i]:R}");
            }, iter: 150);
        }
    }

    [Theory]
    [InlineData(112, 112, 24, 2)] // FaceX nano's stem
    [InlineData(112, 112, 64, 2)] // MobileFaceNet's stem
    [InlineData(37, 29, 10, 1)] // P-Net's first conv (valid) on an odd pyramid level
    public void RunsTheModelStemsLikeTheReference(int h, int w, int cout, int stride)
    {
        var random = new Random(h * 131 + cout);
        var padding = stride == 2 ? Padding.Symmetric(1) : Padding.Valid;
        var g = ConvGeometry.Square(new TensorShape(1, h, w, 3), cout, 3, stride, padding);
        float[] input = RandomFloats(random, h * w * 3);
        float[] weight = RandomFloats(random, cout * 27);
        float[] bias = RandomFloats(random, cout);
        var act = Activation.PRelu(RandomFloats(random, cout, 0, 0.5f));
        var expected = RefPRelu(RefConv2d(ToDouble(input), 1, h, w, 3, weight, bias, cout, 3, 3, stride, stride, g.PadTop, g.PadLeft,
            g.OutH, g.OutW), act.Slopes!);
        foreach (var isa in KernelIsas.Supported)
        {
            var output = new float[g.OutH * g.OutW * cout];
            StemConvKernel.Run(input, g, GemmWeights.FromConvKernel(weight, cout, 3, 3, 3, bias, act, isa), output, 0, g.OutH * g.OutW);
            AssertClose(output, expected, $"{isa} {g}");
        }
    }

    [Fact]
    public void TakesFewInputChannelsOnlyAndNeverAPlainGemm()
    {
        var shape = new TensorShape(1, 8, 8, StemConvKernel.MaxInChannels);
        Assert.True(StemConvKernel.Supports(ConvGeometry.Square(shape, 16, 3, 2, Padding.Same)));
        Assert.True(StemConvKernel.Supports(ConvGeometry.Square(shape, 16, 1, 2, Padding.Valid)));
        Assert.False(StemConvKernel.Supports(ConvGeometry.Square(shape, 16, 1, 1, Padding.Valid)));
        Assert.False(StemConvKernel.Supports(ConvGeometry.Square(shape with { C = StemConvKernel.MaxInChannels + 1 }, 16, 3, 2, Padding.Same)));
        var g = ConvGeometry.Square(shape with { C = 8 }, 16, 3, 2, Padding.Same);
        var weights = GemmWeights.FromConvKernel(new float[16 * 8 * 9], 16, 8, 3, 3, new float[16], Activation.None, KernelIsa.Portable);
        Assert.Throws<ArgumentException>(() => StemConvKernel.Run(new float[8 * 8 * 8], g, weights, new float[16 * 16], 0, 16));
    }

    [Fact]
    public void Conv2dLayerRunsAThreeChannelStemInPlaceWithoutIm2ColScratch()
    {
        var random = new Random(7);
        var shape = new TensorShape(2, 23, 17, 3);
        var act = Activation.PRelu(RandomFloats(random, 24, 0, 0.5f));
        float[] weight = RandomFloats(random, 24 * 27), bias = RandomFloats(random, 24);
        var conv = new Conv2dLayer("stem", 0, 1, weight, bias, 3, 3, 2, Padding.Symmetric(1), act);
        Assert.Equal(0, conv.ScratchFloats([shape]));
        // A conv on more channels still gathers its fields.
        Assert.True(new Conv2dLayer("conv", 0, 1, new float[8 * 8 * 9], new float[8], 8, 3, 2, Padding.Symmetric(1), Activation.None)
            .ScratchFloats([shape with { C = 8 }]) > 0);

        var output = conv.InferShape([shape]);
        float[] x = RandomFloats(random, shape.Size);
        var values = new[] { x, new float[output.Size] };
        conv.Run(new LayerArgs(values, [shape, output], conv, threads: 2));
        var expected = RefPRelu(RefConv2d(ToDouble(x), 2, 23, 17, 3, weight, bias, 24, 3, 3, 2, 2, 1, 1, output.H, output.W), act.Slopes!);
        AssertClose(values[1], expected, "Conv2dLayer stem");
    }

    [Fact]
    public void WritesTheCodesAChannelQuantizePassMakesOfItsFloatsOnEveryIsa()
    {
        foreach (var isa in KernelIsas.Supported)
        {
            // GELU runs after the tile over the floats, so it never comes with code output.
            Cases.Where(c => c.Act != 3).Sample(c =>
            {
                var random = new Random(c.Seed);
                var g = c.Geometry();
                float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
                var weights = GemmWeights.FromConvKernel(RandomFloats(random, c.OutC * c.InC * c.KH * c.KW), c.OutC, c.InC, c.KH, c.KW,
                    RandomFloats(random, c.OutC), GemmTests.MakeActivation(c.Act, random, c.OutC), isa);
                // Narrow ranges for some channels, so codes saturate at both ends and round at every step.
                var channels = Enumerable.Range(0, c.OutC).Select(_ => QuantParams.FromRange(-(float)random.NextDouble() * 3, (float)random.NextDouble() * 3)).ToArray();
                int pixels = c.N * g.OutH * g.OutW;
                int start = pixels * Math.Min(c.Lo, c.Hi) / 8, end = pixels * Math.Max(c.Lo, c.Hi) / 8;
                var floats = new float[pixels * c.OutC];
                StemConvKernel.Run(input, g, weights, floats, start, end);
                var expected = new byte[floats.Length];
                for (int i = start * c.OutC; i < end * c.OutC; i++) expected[i] = (byte)channels[i % c.OutC].Quantize(floats[i]);

                var codes = new byte[floats.Length];
                StemConvKernel.RunCodes(input, g, weights, new StemConvCodes(channels), codes, start, end);
                Assert.True(expected.AsSpan().SequenceEqual(codes), $"{isa} {c} {g} pixels [{start},{end})");
            }, iter: 100);
        }
    }
}
