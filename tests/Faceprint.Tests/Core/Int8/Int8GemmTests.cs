using CsCheck;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The int8 GEMM on every instruction set this CPU runs, bit for bit against plain integer reference loops.</summary>
public sealed class Int8GemmTests
{
    /// <summary>Activation 0/1/2 = None/ReLU/PReLU; Extra pads A's row stride beyond K; Spread widens inputs past the calibrated range.</summary>
    internal sealed record Int8Case(Int8Isa Isa, int M, int K, int N, int Extra, int RowStart, int RowEnd, int Activation, bool Residual,
        bool OneSided, float Spread, int Seed);

    private static readonly Gen<Int8Isa> Isas = Gen.Int[0, Int8Isas.Supported.Count - 1].Select(i => Int8Isas.Supported[i]);

    // M up to 40 covers several 12- and 6-row tiles and their tails; N up to 40 covers two 16-wide panels, a half panel
    // and masked tails; K up to 70 every K%4 padding, and the occasional K near 2000 splits the rows into several
    // quantization blocks.
    private static readonly Gen<Int8Case> Cases =
        from isa in Isas
        from m in Gen.Int[1, 40]
        from bigK in Gen.Int[0, 9]
        from k in bigK == 0 ? Gen.Int[1800, 2100] : Gen.Int[1, 70]
        from n in Gen.Int[1, 40]
        from extra in Gen.Int[0, 3]
        from start in Gen.Int[0, m]
        from end in Gen.Int[start, m]
        from act in Gen.Int[0, 2]
        from residual in Gen.Bool
        from oneSided in Gen.Bool
        from spread in Gen.Float[0.5f, 2f]
        from seed in Gen.Int
        select new Int8Case(isa, m, k, n, extra, start, end, act, residual, oneSided, spread, seed);

    /// <summary>The documented arithmetic, written out plainly: codes, exact integer sums, then the float epilogue.</summary>
    internal static float[] Reference(float[] a, int lda, int m, sbyte[] codes, float[] weightScales, int k, int n, float[] bias,
        Activation act, QuantParams q, float[]? residual)
    {
        float inv = 1f / q.Scale;
        var c = new float[m * n];
        for (int r = 0; r < m; r++)
            for (int o = 0; o < n; o++)
            {
                int acc = 0, sum = 0;
                for (int i = 0; i < k; i++)
                {
                    float t = Math.Clamp(a[r * lda + i] * inv, -512f, 512f);
                    int code = Math.Clamp((int)Math.Round(t, MidpointRounding.ToEven) + q.ZeroPoint, 0, 255);
                    acc += code * codes[o * k + i];
                    sum += codes[o * k + i];
                }
                float scale = q.Scale * weightScales[o];
                float offset = bias[o] - q.ZeroPoint * (long)sum * scale;
                float v = MathF.FusedMultiplyAdd(acc, scale, offset);
                if (act.Kind == ActivationKind.Relu) v = Math.Max(v, 0f);
                if (act.Kind == ActivationKind.PRelu && v < 0) v *= act.Slopes![o];
                if (residual is not null) v += residual[r * n + o];
                c[r * n + o] = v;
            }
        return c;
    }

    [Fact]
    public void MatchesTheIntegerReferenceBitForBitOnTheRequestedRows()
    {
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            int lda = c.K + c.Extra;
            float low = c.OneSided ? 0f : -1f;
            float[] a = RandomFloats(random, c.M * lda, low * c.Spread, c.Spread);
            float[] w = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var q = QuantParams.FromRange(low, 1f);
            var act = GemmTests.MakeActivation(c.Activation, random, c.N);
            var residual = c.Residual ? RandomFloats(random, c.M * c.N) : null;
            var weights = Int8GemmWeights.FromFloat(w, c.K, c.N, bias, act, q, c.Isa);
            var output = new float[c.M * c.N];
            Array.Fill(output, float.NaN);
            Int8Gemm.Run(a, lda, weights, output, c.RowStart, c.RowEnd, new byte[Int8Gemm.ScratchBytes(weights)], residual);
            var expected = Reference(a, lda, c.M, weights.Codes.ToArray(), weights.WeightScales.ToArray(), c.K, c.N, bias, act, q, residual);
            for (int i = 0; i < output.Length; i++)
            {
                bool inside = i >= c.RowStart * c.N && i < c.RowEnd * c.N;
                if (inside) Assert.True(output[i].Equals(expected[i]), $"{c}: element {i} is {output[i]}, expected {expected[i]}");
                else Assert.True(float.IsNaN(output[i]), $"{c}: wrote element {i} outside rows [{c.RowStart},{c.RowEnd})");
            }
        }, iter: 300);
    }

    /// <summary>A given as codes (Extra pads the row stride; 0 with K % 4 == 0 is the in-place path), C as floats or codes.</summary>
    internal sealed record CodesCase(Int8Isa Isa, int M, int K, int N, int Extra, int RowStart, int RowEnd, int Activation, bool Residual,
        bool CodesOut, int ZeroPoint, int Seed);

    private static readonly Gen<CodesCase> CodeCases =
        from isa in Isas
        from m in Gen.Int[1, 40]
        from k in Gen.Int[1, 70]
        from n in Gen.Int[1, 40]
        from extra in Gen.Int[0, 2]
        from start in Gen.Int[0, m]
        from end in Gen.Int[start, m]
        from act in Gen.Int[0, 2]
        from residual in Gen.Bool
        from codesOut in Gen.Bool
        from zero in Gen.Int[0, 255]
        from seed in Gen.Int
        select new CodesCase(isa, m, k, n, extra * 4, start, end, act, residual, codesOut, zero, seed);

    [Fact]
    public unsafe void CodeInputAndCodeOutputMatchTheReferenceBitForBit()
    {
        CodeCases.Sample(c =>
        {
            var random = new Random(c.Seed);
            int lda = c.K + c.Extra;
            // Three bytes of slack: rows are read in 4-byte steps.
            var a = new byte[c.M * lda + 3];
            random.NextBytes(a);
            var q = new QuantParams(0.01f + random.NextSingle() * 0.05f, c.ZeroPoint);
            // The float rows these codes stand for quantize back to exactly these codes.
            var floats = new float[c.M * lda];
            for (int i = 0; i < floats.Length; i++) floats[i] = (a[i] - q.ZeroPoint) * q.Scale;
            float[] w = RandomFloats(random, c.K * c.N), bias = RandomFloats(random, c.N);
            var act = GemmTests.MakeActivation(c.Activation, random, c.N);
            var residual = c.Residual ? RandomFloats(random, c.M * c.N) : null;
            var weights = Int8GemmWeights.FromFloat(w, c.K, c.N, bias, act, q, c.Isa);
            var expected = Reference(floats, lda, c.M, weights.Codes.ToArray(), weights.WeightScales.ToArray(), c.K, c.N, bias, act, q, residual);
            var scratch = new byte[Int8Gemm.ScratchBytes(weights)];
            var outQ = QuantParams.FromRange(-2f, 3f);
            var outFloats = new float[c.M * c.N];
            var outCodes = new byte[c.M * c.N];
            Array.Fill(outFloats, float.NaN);
            Array.Fill(outCodes, (byte)0xA5);
            fixed (byte* pa = a)
            fixed (float* pf = outFloats)
            fixed (byte* pq = outCodes)
            fixed (float* pr = residual)
            fixed (byte* ps = scratch)
                Int8Gemm.RunUnchecked(null, pa, lda, weights, c.CodesOut ? null : pf, c.CodesOut ? pq : null, outQ, pr, c.RowStart, c.RowEnd, ps);
            for (int i = 0; i < expected.Length; i++)
            {
                bool inside = i >= c.RowStart * c.N && i < c.RowEnd * c.N;
                if (c.CodesOut)
                {
                    int want = inside ? outQ.Quantize(expected[i]) : 0xA5;
                    Assert.True(outCodes[i] == want, $"{c}: code {i} is {outCodes[i]}, expected {want}");
                }
                else if (inside) Assert.True(outFloats[i].Equals(expected[i]), $"{c}: element {i} is {outFloats[i]}, expected {expected[i]}");
                else Assert.True(float.IsNaN(outFloats[i]), $"{c}: wrote element {i} outside rows [{c.RowStart},{c.RowEnd})");
            }
        }, iter: 300);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(97)]
    [InlineData(255)]
    public unsafe void CodesSaturateForOutputsFarBeyondTheirRange(int zeroPoint)
    {
        // An output step of 1e-9 puts most values past ±2³¹ steps, where the float-to-int conversion itself overflows.
        const int m = 23, k = 37, n = 45;
        var random = new Random(zeroPoint);
        var a = new byte[m * k + 3];
        random.NextBytes(a);
        var q = new QuantParams(0.02f, 131);
        var floats = new float[m * k];
        for (int i = 0; i < floats.Length; i++) floats[i] = (a[i] - q.ZeroPoint) * q.Scale;
        float[] w = RandomFloats(random, k * n), bias = RandomFloats(random, n);
        var act = Activation.PRelu(RandomFloats(random, n, 0, 0.5f));
        var outQ = new QuantParams(1e-9f, zeroPoint);
        foreach (var isa in Int8Isas.Supported)
        {
            var weights = Int8GemmWeights.FromFloat(w, k, n, bias, act, q, isa);
            var expected = Reference(floats, k, m, weights.Codes.ToArray(), weights.WeightScales.ToArray(), k, n, bias, act, q, null);
            var output = new byte[m * n];
            var scratch = new byte[Int8Gemm.ScratchBytes(weights)];
            fixed (byte* pa = a)
            fixed (byte* po = output)
            fixed (byte* ps = scratch)
                Int8Gemm.RunUnchecked(null, pa, k, weights, null, po, outQ, null, 0, m, ps);
            for (int i = 0; i < output.Length; i++)
                Assert.True(output[i] == outQ.Quantize(expected[i]), $"{isa}: code {i} is {output[i]} for {expected[i]}, expected {outQ.Quantize(expected[i])}");
        }
    }

    [Fact]
    public void ExtremeCodesStayExactOnEveryPath()
    {
        // Every activation at code 255 against weights of ±127: the largest products, where a 16-bit pair sum would saturate.
        const int m = 13, k = 515, n = 19;
        var q = new QuantParams(1f / 255f, 0);
        var a = new float[m * k];
        Array.Fill(a, 1f);
        var codes = new sbyte[k * n];
        for (int i = 0; i < codes.Length; i++) codes[i] = (sbyte)(i % 3 == 0 ? -127 : 127);
        var scales = Enumerable.Repeat(1f, n).ToArray();
        var bias = new float[n];
        var expected = Reference(a, k, m, codes, scales, k, n, bias, Activation.None, q, null);
        foreach (var isa in Int8Isas.Supported)
        {
            var weights = new Int8GemmWeights(codes, scales, k, n, bias, Activation.None, q, isa);
            var output = new float[m * n];
            Int8Gemm.Run(a, k, weights, output, 0, m, new byte[Int8Gemm.ScratchBytes(weights)]);
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public void ApproximatesTheFloatGemmWithinTheQuantizationStep()
    {
        var random = new Random(7);
        const int m = 20, k = 256, n = 48;
        float[] a = RandomFloats(random, m * k), w = RandomFloats(random, k * n), bias = RandomFloats(random, n);
        var q = QuantParams.FromRange(-1f, 1f);
        var weights = Int8GemmWeights.FromFloat(w, k, n, bias, Activation.None, q, Int8Isas.Best);
        var output = new float[m * n];
        Int8Gemm.Run(a, k, weights, output, 0, m, new byte[Int8Gemm.ScratchBytes(weights)]);
        var b = new float[k * n];
        for (int o = 0; o < n; o++)
            for (int i = 0; i < k; i++)
                b[i * n + o] = w[o * k + i];
        var exact = RefGemm(a, b, bias, m, k, n);
        // Each product errs by at most half a step of A times |w| plus half a weight step times |a|; the errors are
        // independent, so their sum stays far below this bound.
        for (int i = 0; i < exact.Length; i++) Assert.InRange(output[i] - exact[i], -0.5, 0.5);
        double rms = Math.Sqrt(exact.Zip(output, (e, o) => (e - o) * (e - o)).Average());
        Assert.True(rms < 0.05, $"rms error {rms}");
    }

    [Fact]
    public void RejectsShortScratchAndOutOfRangeWeightCodes()
    {
        var q = new QuantParams(0.1f, 0);
        var weights = new Int8GemmWeights(new sbyte[8], new float[] { 1, 1 }, 4, 2, new float[2], Activation.None, q, Int8Isas.Best);
        Assert.Throws<ArgumentException>(() => Int8Gemm.Run(new float[4], 4, weights, new float[2], 0, 1, new byte[1]));
        Assert.Throws<ArgumentException>(() =>
            new Int8GemmWeights(new sbyte[] { -128, 0, 0, 0 }, new float[] { 1 }, 4, 1, new float[1], Activation.None, q, Int8Isas.Best));
    }

    [Fact]
    public void RangesIncludeZeroAndOneSidedRangesUseEveryCode()
    {
        var positive = QuantParams.FromRange(0.5f, 2.55f);
        Assert.Equal(0, positive.ZeroPoint);
        Assert.Equal(0.01f, positive.Scale, 6);
        var both = QuantParams.FromRange(-1f, 3f);
        Assert.Equal(64, both.ZeroPoint);
        Assert.Equal(both.ZeroPoint, both.Quantize(0f));
        Assert.Equal(255, both.Quantize(100f));
        Assert.Equal(0, both.Quantize(-100f));
        Assert.Throws<ArgumentException>(() => QuantParams.FromRange(1f, float.NaN));
    }
}
