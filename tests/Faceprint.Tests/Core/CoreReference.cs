using CsCheck;
using Faceprint.Core.Tensors;

namespace Faceprint.Tests.Core;

/// <summary>
/// Plain, obviously-correct reference loops (double accumulation) the optimised kernels are checked against,
/// plus the shared tolerance: |actual − expected| ≤ 1e-4·(1 + |expected|).
/// </summary>
internal static class CoreReference
{
    public const double Tolerance = 1e-4;

    /// <summary>Kernel sizes the property tests draw from (1 and 2 exercise even/odd, 7 is GDConv-like).</summary>
    public static readonly int[] KernelSizes = [1, 2, 3, 5, 7];

    public static readonly Gen<int> KernelSize = Gen.Int[0, KernelSizes.Length - 1].Select(i => KernelSizes[i]);

    /// <summary>0 = Valid, 1 = Same, 2 = Symmetric(k/2).</summary>
    public static Padding PaddingFor(int kind, int kernel) => kind switch
    {
        0 => Padding.Valid,
        1 => Padding.Same,
        _ => Padding.Symmetric(kernel / 2),
    };

    /// <summary>Independent statement of the output-size rules (floor division on a non-negative numerator).</summary>
    public static (int Output, int Before)? Resolve(Padding padding, int input, int kernel, int stride)
    {
        switch (padding.Mode)
        {
            case PaddingMode.Same:
            {
                int output = (int)Math.Ceiling(input / (double)stride);
                int total = Math.Max((output - 1) * stride + kernel - input, 0);
                return (output, total / 2);
            }
            default:
            {
                int pad = padding.Mode == PaddingMode.Valid ? 0 : padding.Amount;
                int span = input + 2 * pad - kernel;
                if (span < 0) return null;
                return (span / stride + 1, pad);
            }
        }
    }

    public static float[] RandomFloats(Random random, int count, float low = -1f, float high = 1f)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = low + (float)random.NextDouble() * (high - low);
        return values;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Asserts |actual − expected| ≤ tol·(1 + |expected|) element-wise (NaN fails).</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, string context, double tolerance = Tolerance)
    {
        Assert.True(actual.Length == expected.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= tolerance * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{context}: element {i} is {actual[i]:R}, expected {expected[i]:R} (|diff| {diff:E2})");
        }
    }

    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string context, double tolerance = Tolerance) =>
        AssertClose(actual, ToDouble(expected), context, tolerance);

    /// <summary>C[m,n] = Σ_p A[m,p]·B[p,n] + bias[n].</summary>
    public static double[] RefGemm(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = bias[j];
                for (int p = 0; p < k; p++) sum += (double)a[i * k + p] * b[p * n + j];
                c[i * n + j] = sum;
            }
        return c;
    }

    /// <summary>Dense NHWC conv with weight in PyTorch layout [cout, cin, kh, kw]; taps outside the input are zero.</summary>
    public static double[] RefConv2d(ReadOnlySpan<double> input, int n, int h, int w, int cin, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int cout, int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int outH, int outW)
    {
        var output = new double[n * outH * outW * cout];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    for (int o = 0; o < cout; o++)
                    {
                        double sum = bias[o];
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * strideH - padTop + ky, ix = ox * strideW - padLeft + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                for (int i = 0; i < cin; i++)
                                    sum += input[((b * h + iy) * w + ix) * cin + i] * weight[((o * cin + i) * kh + ky) * kw + kx];
                            }
                        output[((b * outH + oy) * outW + ox) * cout + o] = sum;
                    }
        return output;
    }

    /// <summary>Depthwise NHWC conv with weight [c, 1, kh, kw].</summary>
    public static double[] RefDepthwise(ReadOnlySpan<double> input, int n, int h, int w, int c, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int outH, int outW)
    {
        var output = new double[n * outH * outW * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = bias[ch];
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * strideH - padTop + ky, ix = ox * strideW - padLeft + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                sum += input[((b * h + iy) * w + ix) * c + ch] * weight[(ch * kh + ky) * kw + kx];
                            }
                        output[((b * outH + oy) * outW + ox) * c + ch] = sum;
                    }
        return output;
    }

    /// <summary>Max over the window's in-bounds positions only (padding never wins).</summary>
    public static double[] RefMaxPool(ReadOnlySpan<double> input, int n, int h, int w, int c, int kh, int kw, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW)
    {
        var output = new double[n * outH * outW * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double best = double.NegativeInfinity;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * strideH - padTop + ky, ix = ox * strideW - padLeft + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                best = Math.Max(best, input[((b * h + iy) * w + ix) * c + ch]);
                            }
                        output[((b * outH + oy) * outW + ox) * c + ch] = best;
                    }
        return output;
    }

    /// <summary>Fully connected over each image's flattened values, weight [out, in].</summary>
    public static double[] RefFullyConnected(ReadOnlySpan<double> input, int n, int inFeatures, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        int outFeatures = bias.Length;
        var output = new double[n * outFeatures];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < inFeatures; i++) sum += input[b * inFeatures + i] * weight[o * inFeatures + i];
                output[b * outFeatures + o] = sum;
            }
        return output;
    }

    public static double[] RefSoftmax(ReadOnlySpan<double> input, int channels)
    {
        var output = new double[input.Length];
        for (int offset = 0; offset < input.Length; offset += channels)
        {
            double max = double.NegativeInfinity;
            for (int i = 0; i < channels; i++) max = Math.Max(max, input[offset + i]);
            double sum = 0;
            for (int i = 0; i < channels; i++) sum += Math.Exp(input[offset + i] - max);
            for (int i = 0; i < channels; i++) output[offset + i] = Math.Exp(input[offset + i] - max) / sum;
        }
        return output;
    }

    public static double[] RefPRelu(ReadOnlySpan<double> input, ReadOnlySpan<float> slopes)
    {
        var output = new double[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            output[i] = x >= 0 ? x : x * slopes[i % slopes.Length];
        }
        return output;
    }

    public static double[] RefRelu(ReadOnlySpan<double> input)
    {
        var output = new double[input.Length];
        for (int i = 0; i < input.Length; i++) output[i] = Math.Max(input[i], 0);
        return output;
    }

    public static double[] RefAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var output = new double[a.Length];
        for (int i = 0; i < a.Length; i++) output[i] = a[i] + b[i];
        return output;
    }
}
