using Faceprint.Core.Weights;

namespace Faceprint.Tests.Reference;

/// <summary>One image as PyTorch holds it: C×H×W, double precision.</summary>
internal sealed record Chw(int C, int H, int W, double[] Data)
{
    public static Chw Zeros(int c, int h, int w) => new(c, h, w, new double[c * h * w]);

    public int Tokens => H * W;

    public ref double At(int c, int y, int x) => ref Data[(c * H + y) * W + x];

    /// <summary>From one NHWC image of the engine's layout.</summary>
    public static Chw FromNhwc(ReadOnlySpan<float> nhwc, int h, int w, int c)
    {
        var t = Zeros(c, h, w);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < c; ch++) t.At(ch, y, x) = nhwc[(y * w + x) * c + ch];
        return t;
    }
}

/// <summary>
/// Plain loops for the PyTorch operators the transformer families use, written straight from the PyTorch
/// documentation in NCHW and double precision, sharing nothing with the engine's kernels. Weights are read by
/// their PyTorch names.
/// </summary>
internal static class TorchReference
{
    /// <summary>nn.Conv2d with symmetric zero padding and groups.</summary>
    public static Chw Conv2d(Chw x, WeightSet w, string name, int outChannels, int kernel, int stride, int pad, int groups, bool bias)
    {
        float[] weight = w[name + ".weight"];
        float[]? b = bias ? w[name + ".bias"] : null;
        int outH = (x.H + 2 * pad - kernel) / stride + 1, outW = (x.W + 2 * pad - kernel) / stride + 1;
        int inPerGroup = x.C / groups, outPerGroup = outChannels / groups;
        var y = Chw.Zeros(outChannels, outH, outW);
        for (int o = 0; o < outChannels; o++)
        {
            int g = o / outPerGroup;
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    double sum = b?[o] ?? 0;
                    for (int i = 0; i < inPerGroup; i++)
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                                sum += x.At(g * inPerGroup + i, iy, ix) * weight[((o * inPerGroup + i) * kernel + ky) * kernel + kx];
                            }
                    y.At(o, oy, ox) = sum;
                }
        }
        return y;
    }

    /// <summary>Inference-mode BatchNorm over the C axis of a C×H×W image (BatchNorm1d is the H = W = 1 case).</summary>
    public static Chw BatchNorm(Chw x, WeightSet w, string name, double epsilon)
    {
        float[] gamma = w[name + ".weight"], beta = w[name + ".bias"], mean = w[name + ".running_mean"], variance = w[name + ".running_var"];
        var y = Chw.Zeros(x.C, x.H, x.W);
        for (int c = 0; c < x.C; c++)
            for (int i = 0; i < x.Tokens; i++)
                y.Data[c * x.Tokens + i] = (x.Data[c * x.Tokens + i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) * gamma[c] + beta[c];
        return y;
    }

    /// <summary>GroupNorm with per-channel affine.</summary>
    public static Chw GroupNorm(Chw x, WeightSet w, string name, int groups, double epsilon)
    {
        float[] gamma = w[name + ".weight"], beta = w[name + ".bias"];
        int perGroup = x.C / groups * x.Tokens;
        var y = Chw.Zeros(x.C, x.H, x.W);
        for (int g = 0; g < groups; g++)
        {
            var slice = x.Data.AsSpan(g * perGroup, perGroup);
            double mean = 0, variance = 0;
            foreach (double v in slice) mean += v;
            mean /= perGroup;
            foreach (double v in slice) variance += (v - mean) * (v - mean);
            variance /= perGroup;
            for (int i = 0; i < perGroup; i++)
            {
                int c = (g * perGroup + i) / x.Tokens;
                y.Data[g * perGroup + i] = (slice[i] - mean) / Math.Sqrt(variance + epsilon) * gamma[c] + beta[c];
            }
        }
        return y;
    }

    /// <summary>nn.LayerNorm over the last axis of a rows × features matrix.</summary>
    public static double[] LayerNorm(double[] x, int features, WeightSet w, string name, double epsilon)
    {
        float[] gamma = w[name + ".weight"], beta = w[name + ".bias"];
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / features; r++)
        {
            var row = x.AsSpan(r * features, features);
            double mean = 0, variance = 0;
            foreach (double v in row) mean += v;
            mean /= features;
            foreach (double v in row) variance += (v - mean) * (v - mean);
            variance /= features;
            for (int i = 0; i < features; i++) y[r * features + i] = (row[i] - mean) / Math.Sqrt(variance + epsilon) * gamma[i] + beta[i];
        }
        return y;
    }

    /// <summary>nn.Linear over the last axis of a rows × in matrix, weight [out, in].</summary>
    public static double[] Linear(double[] x, int inFeatures, WeightSet w, string name, int outFeatures, bool bias) =>
        Linear(x, inFeatures, w[name + ".weight"], bias ? w[name + ".bias"] : null, outFeatures);

    public static double[] Linear(double[] x, int inFeatures, float[] weight, float[]? bias, int outFeatures)
    {
        int rows = x.Length / inFeatures;
        var y = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias?[o] ?? 0;
                for (int i = 0; i < inFeatures; i++) sum += x[r * inFeatures + i] * weight[o * inFeatures + i];
                y[r * outFeatures + o] = sum;
            }
        return y;
    }

    public static Chw Add(Chw a, Chw b) => a with { Data = a.Data.Zip(b.Data, (p, q) => p + q).ToArray() };

    public static Chw Gelu(Chw x) => x with { Data = Gelu(x.Data) };

    /// <summary>Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)).</summary>
    public static double[] Gelu(double[] x) => x.Select(v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))).ToArray();

    /// <summary>
    /// erf to ~1e-15: its Maclaurin series for |x| ≤ 3, and for larger |x| the continued fraction
    /// erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) evaluated from the tail.
    /// </summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        double result;
        if (a <= 3)
        {
            double term = a, sum = a;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-18; n++)
            {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double t = a;
            for (int n = 80; n >= 1; n--) t = a + n / 2.0 / t;
            result = 1 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / t;
        }
        return x < 0 ? -result : result;
    }

    /// <summary>Row-wise softmax of a rows × n matrix.</summary>
    public static void SoftmaxRows(double[] x, int n)
    {
        for (int r = 0; r < x.Length / n; r++)
        {
            var row = x.AsSpan(r * n, n);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in row) max = Math.Max(max, v);
            for (int i = 0; i < n; i++) sum += row[i] = Math.Exp(row[i] - max);
            for (int i = 0; i < n; i++) row[i] /= sum;
        }
    }

    /// <summary>Max |a − b| relative to 1 + |b|, for reporting.</summary>
    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        double worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        return worst;
    }
}
