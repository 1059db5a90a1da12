using CsCheck;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core;

/// <summary>Conv2d, depthwise and max-pool kernels against the reference loops over random shapes.</summary>
public sealed class ConvKernelTests
{
    /// <summary>
    /// One random conv/pool problem. Kernel and stride are drawn per axis; PadKind 0/1/2 = Valid/Same/Symmetric(k/2);
    /// Lo/Hi pick a sub-range of output rows as fractions (0..8 eighths) for the partial-row checks.
    /// </summary>
    internal sealed record ConvCase(int N, int H, int W, int InC, int OutC, int KH, int KW, int SH, int SW, int PadKind, int Lo, int Hi, int Seed)
    {
        public Padding PadH => PaddingFor(PadKind, KH);
        public Padding PadW => PaddingFor(PadKind, KW);
        public (int Output, int Before)? AxisH => Resolve(PadH, H, KH, SH);
        public (int Output, int Before)? AxisW => Resolve(PadW, W, KW, SW);
        public bool Valid => AxisH is { Output: > 0 } && AxisW is { Output: > 0 };

        public ConvGeometry Geometry(int outC)
        {
            var (outH, top) = AxisH!.Value;
            var (outW, left) = AxisW!.Value;
            return new ConvGeometry(H, W, InC, outH, outW, outC, KH, KW, SH, SW, top, left);
        }

        public (int Start, int End) Rows(int rows)
        {
            int a = rows * Math.Min(Lo, Hi) / 8, b = rows * Math.Max(Lo, Hi) / 8;
            return (a, b);
        }
    }

    private static readonly Gen<ConvCase> Cases =
        (from n in Gen.Int[1, 2]
         from h in Gen.Int[1, 12]
         from w in Gen.Int[1, 12]
         from inC in Gen.Int[1, 40]
         from outC in Gen.Int[1, 40]
         from kh in KernelSize
         from kw in KernelSize
         from sh in Gen.Int[1, 2]
         from sw in Gen.Int[1, 2]
         from pad in Gen.Int[0, 2]
         from lo in Gen.Int[0, 8]
         from hi in Gen.Int[0, 8]
         from seed in Gen.Int
         select new ConvCase(n, h, w, inC, outC, kh, kw, sh, sw, pad, lo, hi, seed))
        .Where(c => c.Valid);

    [Fact]
    public void PaddingResolveAgreesWithTheReferenceRuleOnEveryDrawnAxis()
    {
        Cases.Sample(c =>
        {
            Assert.Equal(c.AxisH!.Value, c.PadH.Resolve(c.H, c.KH, c.SH));
            Assert.Equal(c.AxisW!.Value, c.PadW.Resolve(c.W, c.KW, c.SW));
        });
    }

    [Fact]
    public void Conv2dMatchesReference()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.OutC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
            float[] weight = RandomFloats(random, c.OutC * c.InC * c.KH * c.KW);
            float[] bias = RandomFloats(random, c.OutC);
            var packed = Conv2dKernel.Pack(weight, c.OutC, c.InC, c.KH, c.KW);
            var output = new float[c.N * g.OutH * g.OutW * c.OutC];
            Conv2dKernel.Run(input, packed, bias, output, g, 0, c.N * g.OutH);
            var expected = RefConv2d(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.OutC, c.KH, c.KW, c.SH, c.SW,
                g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertClose(output, expected, $"{c} {g}");
        });
    }

    [Fact]
    public void Conv2dPartialRowsWriteOnlyThoseRows()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.OutC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
            float[] weight = RandomFloats(random, c.OutC * c.InC * c.KH * c.KW);
            float[] bias = RandomFloats(random, c.OutC);
            var packed = Conv2dKernel.Pack(weight, c.OutC, c.InC, c.KH, c.KW);
            var output = new float[c.N * g.OutH * g.OutW * c.OutC];
            Array.Fill(output, float.NaN);
            var (start, end) = c.Rows(c.N * g.OutH);
            Conv2dKernel.Run(input, packed, bias, output, g, start, end);
            var expected = RefConv2d(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.OutC, c.KH, c.KW, c.SH, c.SW,
                g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertRows(output, expected, start, end, g.OutW * c.OutC, $"{c} {g} rows [{start},{end})");
        });
    }

    [Fact]
    public void Conv2dPackLayoutIsKyKxCinCout()
    {
        int cout = 3, cin = 2, kh = 2, kw = 3;
        var weight = Enumerable.Range(0, cout * cin * kh * kw).Select(i => (float)i).ToArray();
        var packed = Conv2dKernel.Pack(weight, cout, cin, kh, kw);
        for (int o = 0; o < cout; o++)
            for (int i = 0; i < cin; i++)
                for (int y = 0; y < kh; y++)
                    for (int x = 0; x < kw; x++)
                        Assert.Equal(weight[((o * cin + i) * kh + y) * kw + x], packed[((y * kw + x) * cin + i) * cout + o]);
    }

    [Fact]
    public void PointwiseConvThroughDirectKernelEqualsGemm()
    {
        // A 1×1 stride-1 conv is C[pixels, cout] = X[pixels, cin]·W[cin, cout]: both kernels must agree, and with the reference.
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 30], Gen.Int).Sample((cin, cout, pixels, seed) =>
        {
            var random = new Random(seed);
            float[] input = RandomFloats(random, pixels * cin), weight = RandomFloats(random, cout * cin), bias = RandomFloats(random, cout);
            var packed = Conv2dKernel.Pack(weight, cout, cin, 1, 1);
            var viaGemm = new float[pixels * cout];
            Gemm.Run(input, packed, bias, viaGemm, cin, cout, 0, pixels);
            var viaConv = new float[pixels * cout];
            var g = new ConvGeometry(1, pixels, cin, 1, pixels, cout, 1, 1, 1, 1, 0, 0);
            Conv2dKernel.Run(input, packed, bias, viaConv, g, 0, 1);
            var expected = RefConv2d(ToDouble(input), 1, 1, pixels, cin, weight, bias, cout, 1, 1, 1, 1, 0, 0, 1, pixels);
            AssertClose(viaGemm, expected, "gemm");
            AssertClose(viaConv, expected, "direct conv");
            AssertClose(viaGemm, viaConv, "gemm vs direct", 1e-5);
        });
    }

    [Fact]
    public void DepthwiseMatchesReference()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
            float[] weight = RandomFloats(random, c.InC * c.KH * c.KW);
            float[] bias = RandomFloats(random, c.InC);
            var packed = DepthwiseConvKernel.Pack(weight, c.InC, c.KH, c.KW);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            Array.Fill(output, float.NaN);
            var (start, end) = c.Rows(c.N * g.OutH);
            DepthwiseConvKernel.Run(input, packed, bias, output, g, start, end);
            var expected = RefDepthwise(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.KH, c.KW, c.SH, c.SW,
                g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertRows(output, expected, start, end, g.OutW * c.InC, $"{c} {g} rows [{start},{end})");

            Array.Fill(output, float.NaN);
            DepthwiseConvKernel.Run(input, packed, bias, output, g, 0, c.N * g.OutH);
            AssertClose(output, expected, $"{c} {g} all rows");
        });
    }

    [Fact]
    public void DepthwisePackLayoutIsKyKxC()
    {
        int c = 5, kh = 3, kw = 2;
        var weight = Enumerable.Range(0, c * kh * kw).Select(i => (float)i).ToArray();
        var packed = DepthwiseConvKernel.Pack(weight, c, kh, kw);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    Assert.Equal(weight[(ch * kh + y) * kw + x], packed[(y * kw + x) * c + ch]);
    }

    [Fact]
    public void MaxPoolMatchesReference()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC, -5, 5);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            Array.Fill(output, float.NaN);
            var (start, end) = c.Rows(c.N * g.OutH);
            MaxPoolKernel.Run(input, output, g, start, end);
            var expected = RefMaxPool(ToDouble(input), c.N, c.H, c.W, c.InC, c.KH, c.KW, c.SH, c.SW, g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertRows(output, expected, start, end, g.OutW * c.InC, $"{c} {g} rows [{start},{end})");
        });
    }

    [Fact]
    public void MaxPoolPaddingNeverWinsOverNegativeInputs()
    {
        // All inputs negative: a zero-padded pool would return 0 at the borders; TensorFlow semantics ignore padding.
        Cases.Where(c => c.PadKind != 0).Sample(c =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC, -10, -1);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            MaxPoolKernel.Run(input, output, g, 0, c.N * g.OutH);
            Assert.All(output, v => Assert.InRange(v, -10f, -1f));
            var expected = RefMaxPool(ToDouble(input), c.N, c.H, c.W, c.InC, c.KH, c.KW, c.SH, c.SW, g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertClose(output, expected, $"{c} {g}", 0);
        });
    }

    [Fact]
    public void MaxPoolSameTwoByTwoHandExample()
    {
        // 3×3 single-channel input, 2×2 stride 2 SAME: output 2×2, one trailing pad row/column (TensorFlow puts it after).
        float[] input = [-1, -2, -3, -4, -5, -6, -7, -8, -9];
        var (outH, top) = Padding.Same.Resolve(3, 2, 2);
        Assert.Equal((2, 0), (outH, top));
        var g = new ConvGeometry(3, 3, 1, 2, 2, 1, 2, 2, 2, 2, 0, 0);
        var output = new float[4];
        MaxPoolKernel.Run(input, output, g, 0, 2);
        Assert.Equal([-1f, -3f, -7f, -9f], output);
    }

    private static void AssertRows(float[] output, double[] expected, int start, int end, int rowLength, string context)
    {
        int from = start * rowLength, to = end * rowLength;
        AssertClose(output.AsSpan(from, to - from), expected.AsSpan(from, to - from), context);
        for (int i = 0; i < output.Length; i++)
            if (i < from || i >= to) Assert.True(float.IsNaN(output[i]), $"{context}: wrote element {i} outside the requested rows");
    }
}
