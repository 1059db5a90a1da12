using CsCheck;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The int8 depthwise conv on every instruction set this CPU runs, bit for bit against a plain reference loop.</summary>
public sealed class Int8DepthwiseTests
{
    /// <summary>
    /// Activation 0/1/2 = None/ReLU/PReLU; Codes = requantized output instead of floats; PerChannel = the input has its
    /// own scale and zero point per channel (random), not one per tensor.
    /// </summary>
    internal sealed record DwCase(Int8DepthwiseIsa Isa, int N, int H, int W, int C, int Kernel, int Stride, bool Same, int RowStart, int RowEnd,
        int Activation, bool Codes, int ZeroPoint, bool PerChannel, int Seed);

    private static readonly Gen<Int8DepthwiseIsa> Isas = Gen.Int[0, Int8DepthwiseIsas.Supported.Count - 1].Select(i => Int8DepthwiseIsas.Supported[i]);

    // C up to 80 covers full 32- and 16-channel blocks and every partial tail; kernels 1, 3 (interior fast path), 5 and a
    // whole-map GDConv; small maps make edges dominate; both padding rules and strides 1 and 2.
    private static readonly Gen<DwCase> Cases =
        from isa in Isas
        from n in Gen.Int[1, 2]
        from h in Gen.Int[1, 9]
        from w in Gen.Int[1, 9]
        from c in Gen.Int[1, 80]
        from kernelKind in Gen.Int[0, 5]
        from stride in Gen.Int[1, 2]
        from same in Gen.Bool
        from act in Gen.Int[0, 2]
        from codes in Gen.Bool
        from zero in Gen.Int[0, 255]
        from perChannel in Gen.Bool
        from seed in Gen.Int
        let kernel = kernelKind switch { 0 => 1, 1 => 5, 5 => Math.Min(h, w), _ => 3 }
        let padding = same ? Padding.Same : Padding.Valid
        let outH = padding.Resolve(h, kernel, stride).Output
        let outW = padding.Resolve(w, kernel, stride).Output
        where outH > 0 && outW > 0
        from start in Gen.Int[0, n * outH]
        from end in Gen.Int[start, n * outH]
        select new DwCase(isa, n, h, w, c, kernel, stride, same, start, end, act, codes, zero, perChannel, seed);

    /// <summary>
    /// The documented arithmetic written out plainly: each channel's zero-point code outside the image, exact sums, float
    /// epilogue with that channel's input scale and zero point (<paramref name="inputs"/>[c]).
    /// </summary>
    private static float[] Reference(byte[] input, in ConvGeometry g, int images, sbyte[] codes, float[] weightScales, float[] bias, Activation act,
        QuantParams[] inputs)
    {
        int taps = g.KernelH * g.KernelW;
        var output = new float[images * g.OutH * g.OutW * g.OutC];
        for (int n = 0; n < images; n++)
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                    for (int c = 0; c < g.OutC; c++)
                    {
                        var q = inputs[c];
                        int acc = 0, sum = 0;
                        for (int ky = 0; ky < g.KernelH; ky++)
                            for (int kx = 0; kx < g.KernelW; kx++)
                            {
                                int y = oy * g.StrideH - g.PadTop + ky, x = ox * g.StrideW - g.PadLeft + kx;
                                int code = y >= 0 && y < g.InH && x >= 0 && x < g.InW ? input[((n * g.InH + y) * g.InW + x) * g.InC + c] : q.ZeroPoint;
                                int wq = codes[c * taps + ky * g.KernelW + kx];
                                acc += code * wq;
                                sum += wq;
                            }
                        float scale = q.Scale * weightScales[c];
                        float v = MathF.FusedMultiplyAdd(acc, scale, bias[c] - q.ZeroPoint * (long)sum * scale);
                        if (act.Kind == ActivationKind.Relu) v = Math.Max(v, 0f);
                        if (act.Kind == ActivationKind.PRelu && v < 0) v *= act.Slopes![c];
                        output[((n * g.OutH + oy) * g.OutW + ox) * g.OutC + c] = v;
                    }
        return output;
    }

    [Fact]
    public void MatchesTheIntegerReferenceBitForBitOnTheRequestedRows()
    {
        Cases.Sample(k =>
        {
            var random = new Random(k.Seed);
            var shape = new TensorShape(k.N, k.H, k.W, k.C);
            var g = ConvGeometry.Square(shape, k.C, k.Kernel, k.Stride, k.Same ? Padding.Same : Padding.Valid);
            var input = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
            random.NextBytes(input);
            var q = new QuantParams(0.02f + random.NextSingle() * 0.05f, k.ZeroPoint);
            var channels = Enumerable.Range(0, k.C).Select(_ => new QuantParams(0.005f + random.NextSingle() * 0.1f, random.Next(256))).ToArray();
            float[] w = RandomFloats(random, k.C * k.Kernel * k.Kernel), bias = RandomFloats(random, k.C);
            var act = GemmTests.MakeActivation(k.Activation, random, k.C);
            var weights = k.PerChannel ? Int8DepthwiseWeights.FromFloat(w, k.C, k.Kernel, bias, act, channels, k.Isa)
                : Int8DepthwiseWeights.FromFloat(w, k.C, k.Kernel, bias, act, q, k.Isa);
            var expected = Reference(input, g, k.N, weights.Codes.ToArray(), weights.WeightScales.ToArray(), bias, act,
                k.PerChannel ? channels : Enumerable.Repeat(q, k.C).ToArray());
            int perRow = g.OutW * g.OutC;
            if (k.Codes)
            {
                var outQ = QuantParams.FromRange(-1f, 2f);
                var output = new byte[expected.Length];
                Array.Fill(output, (byte)0xA5);
                Int8DepthwiseKernel.Run(input, weights, g, k.RowStart, k.RowEnd, output, outQ);
                for (int i = 0; i < output.Length; i++)
                {
                    bool inside = i >= k.RowStart * perRow && i < k.RowEnd * perRow;
                    int want = inside ? outQ.Quantize(expected[i]) : 0xA5;
                    Assert.True(output[i] == want, $"{k}: code {i} is {output[i]}, expected {want}");
                }
            }
            else
            {
                var output = new float[expected.Length];
                Array.Fill(output, float.NaN);
                Int8DepthwiseKernel.Run(input, weights, g, k.RowStart, k.RowEnd, output);
                for (int i = 0; i < output.Length; i++)
                {
                    bool inside = i >= k.RowStart * perRow && i < k.RowEnd * perRow;
                    if (inside) Assert.True(output[i].Equals(expected[i]), $"{k}: element {i} is {output[i]}, expected {expected[i]}");
                    else Assert.True(float.IsNaN(output[i]), $"{k}: wrote element {i} outside rows [{k.RowStart},{k.RowEnd})");
                }
            }
        }, iter: 400);
    }

    [Fact]
    public void ExtremeCodesStayExactOnEveryPath()
    {
        // Every code 255 against weights of ±127 over a 7×7 window: the largest sums the layer can see.
        var shape = new TensorShape(1, 7, 7, 40);
        var g = ConvGeometry.Square(shape, 40, 7, 1, Padding.Valid);
        var input = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
        Array.Fill(input, (byte)255);
        var codes = new sbyte[40 * 49];
        for (int i = 0; i < codes.Length; i++) codes[i] = (sbyte)(i % 5 == 0 ? -127 : 127);
        var scales = Enumerable.Repeat(1f, 40).ToArray();
        var bias = new float[40];
        var q = new QuantParams(1f, 0);
        var expected = Reference(input, g, 1, codes, scales, bias, Activation.None, Enumerable.Repeat(q, 40).ToArray());
        foreach (var isa in Int8DepthwiseIsas.Supported)
        {
            var weights = new Int8DepthwiseWeights(codes, scales, 40, 7, bias, Activation.None, q, isa);
            var output = new float[40];
            Int8DepthwiseKernel.Run(input, weights, g, 0, 1, output);
            Assert.Equal(expected, output);
        }
    }

    [Theory]
    [InlineData(5, 6, 40, 1, 2)] // wider padding than the window's reach: whole padding columns and rows on each side
    [InlineData(4, 3, 33, 1, 3)] // outputs whose every tap is padding
    [InlineData(7, 5, 72, 2, 2)]
    [InlineData(1, 1, 16, 1, 1)]
    [InlineData(2, 9, 48, 1, 2)]
    // Stride 2 over wide rows: the window-pair loop runs long, starting on a padding column (pad 1, 3) or on the image (pad 0).
    [InlineData(6, 29, 48, 2, 1)]
    [InlineData(5, 28, 40, 2, 0)]
    [InlineData(4, 12, 33, 2, 3)]
    public void ExplicitPaddingMatchesTheReferenceOnEveryPath(int h, int w, int c, int stride, int pad)
    {
        var random = new Random(h * 1000 + w * 100 + c);
        var shape = new TensorShape(2, h, w, c);
        var g = ConvGeometry.Square(shape, c, 3, stride, Padding.Symmetric(pad));
        var input = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
        random.NextBytes(input);
        var q = new QuantParams(0.03f, 77);
        float[] weight = RandomFloats(random, c * 9), bias = RandomFloats(random, c);
        var act = Activation.PRelu(RandomFloats(random, c, 0, 0.5f));
        var outQ = QuantParams.FromRange(-1f, 2f);
        foreach (var isa in Int8DepthwiseIsas.Supported)
        {
            var weights = Int8DepthwiseWeights.FromFloat(weight, c, 3, bias, act, q, isa);
            var expected = Reference(input, g, 2, weights.Codes.ToArray(), weights.WeightScales.ToArray(), bias, act, Enumerable.Repeat(q, c).ToArray());
            var floats = new float[expected.Length];
            Int8DepthwiseKernel.Run(input, weights, g, 0, 2 * g.OutH, floats);
            Assert.Equal(expected, floats);
            var codes = new byte[expected.Length];
            Int8DepthwiseKernel.Run(input, weights, g, 0, 2 * g.OutH, codes, outQ);
            Assert.Equal(expected.Select(outQ.Quantize).Select(v => (byte)v), codes);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(97)]
    [InlineData(255)]
    public void CodesSaturateForOutputsFarBeyondTheirRange(int zeroPoint)
    {
        // An output step of 1e-9 puts most values past ±2³¹ steps, where the float-to-int conversion itself overflows.
        var random = new Random(zeroPoint);
        var shape = new TensorShape(1, 6, 7, 72);
        var g = ConvGeometry.Square(shape, 72, 3, 1, Padding.Same);
        var input = new byte[shape.Size + Int8DepthwiseKernel.InputSlack];
        random.NextBytes(input);
        var q = new QuantParams(0.03f, 120);
        float[] w = RandomFloats(random, 72 * 9), bias = RandomFloats(random, 72);
        var act = Activation.PRelu(RandomFloats(random, 72, 0, 0.5f));
        var outQ = new QuantParams(1e-9f, zeroPoint);
        foreach (var isa in Int8DepthwiseIsas.Supported)
        {
            var weights = Int8DepthwiseWeights.FromFloat(w, 72, 3, bias, act, q, isa);
            var expected = Reference(input, g, 1, weights.Codes.ToArray(), weights.WeightScales.ToArray(), bias, act, Enumerable.Repeat(q, 72).ToArray());
            var output = new byte[expected.Length];
            Int8DepthwiseKernel.Run(input, weights, g, 0, g.OutH, output, outQ);
            for (int i = 0; i < output.Length; i++)
                Assert.True(output[i] == outQ.Quantize(expected[i]), $"{isa}: code {i} is {output[i]} for {expected[i]}, expected {outQ.Quantize(expected[i])}");
        }
    }

    [Fact]
    public void AllInputQuantizationsAreOnePerChannel()
    {
        var error = Assert.Throws<ArgumentException>(() => Int8DepthwiseWeights.FromFloat(new float[16 * 9], 16, 3, new float[16], Activation.None,
            Enumerable.Repeat(new QuantParams(1f, 0), 15).ToArray(), Int8DepthwiseIsas.Best));
        Assert.Contains("one per channel", error.Message);
        var perChannel = Int8DepthwiseWeights.FromFloat(new float[16 * 9], 16, 3, new float[16], Activation.None,
            Enumerable.Range(0, 16).Select(c => new QuantParams(1f, c)).ToArray(), Int8DepthwiseIsas.Best);
        Assert.Equal(new QuantParams(1f, 7), perChannel.InputOf(7));
        Assert.Throws<InvalidOperationException>(() => perChannel.Input);
    }

    [Fact]
    public void RefusesAnInputWithoutReadSlack()
    {
        var shape = new TensorShape(1, 4, 4, 16);
        var g = ConvGeometry.Square(shape, 16, 3, 1, Padding.Same);
        var weights = Int8DepthwiseWeights.FromFloat(new float[16 * 9], 16, 3, new float[16], Activation.None, new QuantParams(1f, 0), Int8DepthwiseIsas.Best);
        Assert.Throws<ArgumentException>(() => Int8DepthwiseKernel.Run(new byte[shape.Size], weights, g, 0, 4, new float[shape.Size]));
    }
}
