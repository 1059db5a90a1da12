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

    private static readonly Gen<KernelIsa> Isas = Gen.Int[0, KernelIsas.Supported.Count - 1].Select(i => KernelIsas.Supported[i]);

    private static Activation MakeActivation(int kind, Random random, int n) => kind switch
    {
        1 => Activation.Relu,
        2 => Activation.PRelu(RandomFloats(random, n, 0, 0.5f)),
        3 => Activation.Gelu,
        _ => Activation.None,
    };

    private static double[] Activate(double[] values, Activation act) => act.Kind switch
    {
        ActivationKind.Relu => RefRelu(values),
        ActivationKind.PRelu => RefPRelu(values, act.Slopes!),
        ActivationKind.Gelu => Faceprint.Tests.Reference.TorchReference.Gelu(values),
        _ => values,
    };

    /// <summary>A dense conv the way <c>Conv2dLayer</c> runs it: im2col over output pixels [start, end), then the packed GEMM.</summary>
    internal static void ConvViaGemm(float[] input, GemmWeights weights, float[] output, in ConvGeometry g, int pixelStart, int pixelEnd,
        float[]? residual = null)
    {
        int k = Im2Col.RowLength(g), count = pixelEnd - pixelStart;
        var rows = new float[Math.Max(1, count) * k];
        Im2Col.Fill(input, g, pixelStart, pixelEnd, rows);
        Gemm.Run(rows, k, weights, output.AsSpan(pixelStart * g.OutC, count * g.OutC), 0, count,
            residual is null ? default : residual.AsSpan(pixelStart * g.OutC, count * g.OutC));
    }

    [Fact]
    public void Conv2dViaIm2ColAndGemmMatchesReferenceOnEveryIsa()
    {
        Gen.Select(Cases, Isas, Gen.Int[0, 3]).Sample((c, isa, actKind) =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.OutC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
            float[] weight = RandomFloats(random, c.OutC * c.InC * c.KH * c.KW);
            float[] bias = RandomFloats(random, c.OutC);
            var act = MakeActivation(actKind, random, c.OutC);
            var packed = GemmWeights.FromConvKernel(weight, c.OutC, c.InC, c.KH, c.KW, bias, act, isa);
            var output = new float[c.N * g.OutH * g.OutW * c.OutC];
            Array.Fill(output, float.NaN);
            int pixels = c.N * g.OutH * g.OutW;
            var (start, end) = c.Rows(pixels);
            ConvViaGemm(input, packed, output, g, start, end);
            var expected = Activate(RefConv2d(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.OutC, c.KH, c.KW, c.SH, c.SW,
                g.PadTop, g.PadLeft, g.OutH, g.OutW), act);
            AssertRows(output, expected, start, end, c.OutC, $"{isa} {c} {g} pixels [{start},{end})");
        });
    }

    [Fact]
    public void Im2ColRowHoldsTheWindowInKyKxCiOrderWithZerosOutside()
    {
        // 1 image 3×3×2, 3×3 kernel, stride 1, pad 1: output pixel (0, 0) sees padding on its top row and left column.
        var input = Enumerable.Range(1, 18).Select(i => (float)i).ToArray();
        var g = new ConvGeometry(3, 3, 2, 3, 3, 1, 3, 3, 1, 1, 1, 1);
        var row = new float[Im2Col.RowLength(g)];
        Im2Col.Fill(input, g, 0, 1, row);
        float[] expected =
        [
            0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 3, 4,
            0, 0, 7, 8, 9, 10,
        ];
        Assert.Equal(expected, row);
    }

    [Fact]
    public void DepthwiseMatchesReferenceOnEveryIsa()
    {
        Gen.Select(Cases, Isas, Gen.Int[0, 2]).Sample((c, isa, actKind) =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC);
            float[] weight = RandomFloats(random, c.InC * c.KH * c.KW);
            float[] bias = RandomFloats(random, c.InC);
            var act = MakeActivation(actKind, random, c.InC);
            var packed = new DepthwiseWeights(weight, c.InC, c.KH, c.KW, bias, act);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            Array.Fill(output, float.NaN);
            var (start, end) = c.Rows(c.N * g.OutH);
            DepthwiseConvKernel.Run(input, packed, output, g, start, end, isa);
            var expected = Activate(RefDepthwise(ToDouble(input), c.N, c.H, c.W, c.InC, weight, bias, c.KH, c.KW, c.SH, c.SW,
                g.PadTop, g.PadLeft, g.OutH, g.OutW), act);
            AssertRows(output, expected, start, end, g.OutW * c.InC, $"{isa} {c} {g} rows [{start},{end})");

            Array.Fill(output, float.NaN);
            DepthwiseConvKernel.Run(input, packed, output, g, 0, c.N * g.OutH, isa);
            AssertClose(output, expected, $"{isa} {c} {g} all rows");
        });
    }

    [Theory]
    [InlineData(56, 56, 128, 3, 1, 1)]
    [InlineData(56, 56, 48, 3, 2, 1)]
    [InlineData(14, 14, 184, 3, 1, 1)]
    [InlineData(7, 7, 512, 7, 1, 0)]
    [InlineData(9, 11, 24, 3, 2, 0)]
    public void DepthwiseModelShapesMatchReferenceOnEveryIsa(int h, int w, int c, int k, int stride, int pad)
    {
        var random = new Random(h * w + c);
        const int n = 2;
        var g = ConvGeometry.Square(new TensorShape(n, h, w, c), c, k, stride, Padding.Symmetric(pad));
        float[] input = RandomFloats(random, n * h * w * c), weight = RandomFloats(random, c * k * k), bias = RandomFloats(random, c);
        var act = Activation.PRelu(RandomFloats(random, c, 0, 0.5f));
        var expected = RefPRelu(RefDepthwise(ToDouble(input), n, h, w, c, weight, bias, k, k, stride, stride, pad, pad, g.OutH, g.OutW), act.Slopes!);
        foreach (var isa in KernelIsas.Supported)
        {
            var output = new float[n * g.OutH * g.OutW * c];
            DepthwiseConvKernel.Run(input, new DepthwiseWeights(weight, c, k, k, bias, act), output, g, 0, n * g.OutH, isa);
            AssertClose(output, expected, $"{isa} {g}");
        }
    }

    [Fact]
    public void MaxPoolMatchesReferenceOnEveryIsa()
    {
        Gen.Select(Cases, Isas).Sample((c, isa) =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC, -5, 5);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            Array.Fill(output, float.NaN);
            var (start, end) = c.Rows(c.N * g.OutH);
            MaxPoolKernel.Run(input, output, g, start, end, isa);
            var expected = RefMaxPool(ToDouble(input), c.N, c.H, c.W, c.InC, c.KH, c.KW, c.SH, c.SW, g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertRows(output, expected, start, end, g.OutW * c.InC, $"{isa} {c} {g} rows [{start},{end})");
        });
    }

    [Fact]
    public void MaxPoolPaddingNeverWinsOverNegativeInputs()
    {
        // All inputs negative: a zero-padded pool would return 0 at the borders; TensorFlow semantics ignore padding.
        Gen.Select(Cases.Where(c => c.PadKind != 0), Isas).Sample((c, isa) =>
        {
            var random = new Random(c.Seed);
            var g = c.Geometry(c.InC);
            float[] input = RandomFloats(random, c.N * c.H * c.W * c.InC, -10, -1);
            var output = new float[c.N * g.OutH * g.OutW * c.InC];
            MaxPoolKernel.Run(input, output, g, 0, c.N * g.OutH, isa);
            Assert.All(output, v => Assert.InRange(v, -10f, -1f));
            var expected = RefMaxPool(ToDouble(input), c.N, c.H, c.W, c.InC, c.KH, c.KW, c.SH, c.SW, g.PadTop, g.PadLeft, g.OutH, g.OutW);
            AssertClose(output, expected, $"{isa} {c} {g}", 0);
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

    internal static void AssertRows(float[] output, double[] expected, int start, int end, int rowLength, string context)
    {
        int from = start * rowLength, to = end * rowLength;
        AssertClose(output.AsSpan(from, to - from), expected.AsSpan(from, to - from), context);
        for (int i = 0; i < output.Length; i++)
            if (i < from || i >= to) Assert.True(float.IsNaN(output[i]), $"{context}: wrote element {i} outside the requested rows");
    }
}
