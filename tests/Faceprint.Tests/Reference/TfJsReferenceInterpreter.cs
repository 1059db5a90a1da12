using Faceprint.Import.TfJs;

namespace Faceprint.Tests.Reference;

/// <summary>
/// An independent, deliberately naive interpreter of a raw TF.js graph (scalar loops over NHWC, TensorFlow's op
/// semantics with NumPy broadcasting, no folding, no pattern matching). Tests compare imported networks against it.
/// </summary>
internal sealed class TfJsReferenceInterpreter(TfJsModel model)
{
    private sealed record T(int[] Shape, float[] Data);

    private readonly Dictionary<string, T> _values = [];

    public float[] Run(float[] input, int[] inputShape, string output)
    {
        _values.Clear();
        _values[model.Nodes.Single(n => n.Op == "Placeholder").Name] = new T(inputShape, input);
        return Eval(model.Node(output).Name).Data;
    }

    private T Eval(string name)
    {
        if (_values.TryGetValue(name, out var v)) return v;
        var node = model.Node(name);
        T In(int i) => Eval(node.Inputs[i]);
        T result = node.Op switch
        {
            "Const" => Const(model.Weights[name]),
            "Identity" or "StopGradient" => In(0),
            "Conv2D" or "_FusedConv2D" => Fused(node, Conv(node, In(0), In(1), depthwise: false)),
            "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative" => Fused(node, Conv(node, In(0), In(1), depthwise: true)),
            "MatMul" or "_FusedMatMul" => Fused(node, MatMul(In(0), In(1), node.Bool("transpose_b"))),
            "BiasAdd" or "Add" or "AddV2" => Binary(In(0), In(1), (a, b) => a + b),
            "Sub" => Binary(In(0), In(1), (a, b) => a - b),
            "Mul" => Binary(In(0), In(1), (a, b) => a * b),
            "Maximum" => Binary(In(0), In(1), Math.Max),
            "Minimum" => Binary(In(0), In(1), Math.Min),
            "Relu" => Map(In(0), x => Math.Max(x, 0f)),
            "Relu6" => Map(In(0), x => Math.Min(Math.Max(x, 0f), 6f)),
            "Abs" => Map(In(0), Math.Abs),
            "Square" => Map(In(0), x => x * x),
            "Rsqrt" => Map(In(0), x => (float)(1 / Math.Sqrt(x))),
            "Sum" => Reduce(In(0), In(1), node.Bool("keep_dims"), mean: false),
            "Mean" => Reduce(In(0), In(1), node.Bool("keep_dims"), mean: true),
            "Squeeze" => Squeeze(In(0), node.Ints("squeeze_dims") ?? []),
            "Reshape" => Reshape(In(0), In(1)),
            "Pad" => Pad(In(0), In(1)),
            "MaxPool" => MaxPool(In(0), node),
            "FusedBatchNorm" or "FusedBatchNormV3" => BatchNorm(In(0), In(1), In(2), In(3), In(4), node.Float("epsilon", 1e-3f)),
            _ => throw new NotSupportedException($"reference interpreter lacks {node.Op}"),
        };
        _values[name] = result;
        return result;

        T Fused(TfJsNode n, T x)
        {
            int arg = 2;
            foreach (string op in n.Strings("fused_ops"))
            {
                x = op switch
                {
                    "BiasAdd" => Binary(x, Eval(n.Inputs[arg++]), (a, b) => a + b),
                    "Relu" => Map(x, a => Math.Max(a, 0f)),
                    "Relu6" => Map(x, a => Math.Min(Math.Max(a, 0f), 6f)),
                    "Prelu" => Binary(x, Eval(n.Inputs[arg++]), (a, s) => a >= 0 ? a : a * s),
                    "FusedBatchNorm" => BatchNorm(x, Eval(n.Inputs[arg++]), Eval(n.Inputs[arg++]), Eval(n.Inputs[arg++]), Eval(n.Inputs[arg++]), n.Float("epsilon")),
                    _ => throw new NotSupportedException($"reference interpreter lacks fused {op}"),
                };
            }
            return x;
        }
    }

    private static T Const(TfJsTensor t) => new(t.Shape, t.Floats ?? [.. t.Ints!.Select(i => (float)i)]);

    private static T Map(T x, Func<float, float> f) => new(x.Shape, [.. x.Data.Select(f)]);

    /// <summary>NumPy broadcasting: shapes aligned at the right, size-1 axes stretched.</summary>
    private static T Binary(T a, T b, Func<float, float, float> f)
    {
        int rank = Math.Max(a.Shape.Length, b.Shape.Length);
        int[] sa = [.. Enumerable.Repeat(1, rank - a.Shape.Length), .. a.Shape], sb = [.. Enumerable.Repeat(1, rank - b.Shape.Length), .. b.Shape];
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1) throw new InvalidOperationException("shapes do not broadcast");
            shape[i] = Math.Max(sa[i], sb[i]);
        }
        int total = shape.Aggregate(1, (x, y) => x * y);
        var data = new float[total];
        var index = new int[rank];
        for (int flat = 0; flat < total; flat++)
        {
            int rem = flat;
            for (int i = rank - 1; i >= 0; i--)
            {
                index[i] = rem % shape[i];
                rem /= shape[i];
            }
            int ia = 0, ib = 0;
            for (int i = 0; i < rank; i++)
            {
                ia = ia * sa[i] + (sa[i] == 1 ? 0 : index[i]);
                ib = ib * sb[i] + (sb[i] == 1 ? 0 : index[i]);
            }
            data[flat] = f(a.Data[ia], b.Data[ib]);
        }
        return new T(shape, data);
    }

    private static (int Out, int Before) Geometry(TfJsNode node, int size, int k, int stride, int axis)
    {
        string padding = node.String("padding")!;
        if (padding == "VALID") return ((size - k) / stride + 1, 0);
        if (padding == "SAME")
        {
            int output = (size + stride - 1) / stride;
            int total = Math.Max((output - 1) * stride + k - size, 0);
            return (output, total / 2);
        }
        int[] p = node.Ints("explicit_paddings")!;
        return ((size + p[2 * axis] + p[2 * axis + 1] - k) / stride + 1, p[2 * axis]);
    }

    private static T Conv(TfJsNode node, T x, T w, bool depthwise)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        int kh = w.Shape[0], kw = w.Shape[1], m = w.Shape[3];
        int[] strides = node.Ints("strides")!;
        var (oh, top) = Geometry(node, h, kh, strides[1], 1);
        var (ow, left) = Geometry(node, wd, kw, strides[2], 2);
        int co = depthwise ? c * m : m;
        var y = new float[n * oh * ow * co];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int o = 0; o < co; o++)
                    {
                        double sum = 0;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * strides[1] + ky - top, ix = ox * strides[2] + kx - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                int px = ((b * h + iy) * wd + ix) * c;
                                if (depthwise)
                                {
                                    int ci = o / m, mi = o % m;
                                    sum += x.Data[px + ci] * w.Data[((ky * kw + kx) * c + ci) * m + mi];
                                }
                                else
                                {
                                    for (int ci = 0; ci < c; ci++) sum += x.Data[px + ci] * w.Data[((ky * kw + kx) * c + ci) * m + o];
                                }
                            }
                        y[((b * oh + oy) * ow + ox) * co + o] = (float)sum;
                    }
        return new T([n, oh, ow, co], y);
    }

    private static T MatMul(T a, T w, bool transposeB)
    {
        int n = a.Shape[0], k = a.Shape[1], m = transposeB ? w.Shape[0] : w.Shape[1];
        var y = new float[n * m];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < m; o++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++) sum += a.Data[b * k + i] * (transposeB ? w.Data[o * k + i] : w.Data[i * m + o]);
                y[b * m + o] = (float)sum;
            }
        return new T([n, m], y);
    }

    private static T Reduce(T x, T axesTensor, bool keepDims, bool mean)
    {
        int rank = x.Shape.Length;
        var axes = axesTensor.Data.Select(a => ((int)a + rank) % rank).ToHashSet();
        int[] outShape = [.. x.Shape.Select((d, i) => axes.Contains(i) ? 1 : d)];
        int total = outShape.Aggregate(1, (p, q) => p * q);
        var sums = new double[total];
        int count = axes.Aggregate(1, (p, a) => p * x.Shape[a]);
        var index = new int[rank];
        for (int flat = 0; flat < x.Data.Length; flat++)
        {
            int rem = flat;
            for (int i = rank - 1; i >= 0; i--)
            {
                index[i] = rem % x.Shape[i];
                rem /= x.Shape[i];
            }
            int o = 0;
            for (int i = 0; i < rank; i++) o = o * outShape[i] + (axes.Contains(i) ? 0 : index[i]);
            sums[o] += x.Data[flat];
        }
        var data = sums.Select(s => (float)(mean ? s / count : s)).ToArray();
        return new T(keepDims ? outShape : [.. x.Shape.Where((_, i) => !axes.Contains(i))], data);
    }

    private static T Squeeze(T x, int[] dims)
    {
        var drop = dims.Length == 0 ? x.Shape.Select((d, i) => (d, i)).Where(p => p.d == 1).Select(p => p.i).ToHashSet() : dims.ToHashSet();
        return new T([.. x.Shape.Where((_, i) => !drop.Contains(i))], x.Data);
    }

    private static T Reshape(T x, T shapeTensor)
    {
        int[] shape = [.. shapeTensor.Data.Select(d => (int)d)];
        int known = shape.Where(d => d != -1).Aggregate(1, (p, q) => p * q);
        return new T([.. shape.Select(d => d == -1 ? x.Data.Length / known : d)], x.Data);
    }

    private static T Pad(T x, T pads)
    {
        int[] p = [.. pads.Data.Select(d => (int)d)];
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = h + p[2] + p[3], ow = w + p[4] + p[5], oc = c + p[6] + p[7], on = n + p[0] + p[1];
        var y = new float[on * oh * ow * oc];
        for (int b = 0; b < n; b++)
            for (int iy = 0; iy < h; iy++)
                for (int ix = 0; ix < w; ix++)
                    for (int ci = 0; ci < c; ci++)
                        y[(((b + p[0]) * oh + iy + p[2]) * ow + ix + p[4]) * oc + ci + p[6]] = x.Data[((b * h + iy) * w + ix) * c + ci];
        return new T([on, oh, ow, oc], y);
    }

    private static T MaxPool(T x, TfJsNode node)
    {
        int[] k = node.Ints("ksize")!, s = node.Ints("strides")!;
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        var (oh, top) = Geometry(node, h, k[1], s[1], 1);
        var (ow, left) = Geometry(node, w, k[2], s[2], 2);
        var y = new float[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ci = 0; ci < c; ci++)
                    {
                        float best = float.NegativeInfinity;
                        for (int ky = 0; ky < k[1]; ky++)
                            for (int kx = 0; kx < k[2]; kx++)
                            {
                                int iy = oy * s[1] + ky - top, ix = ox * s[2] + kx - left;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) best = Math.Max(best, x.Data[((b * h + iy) * w + ix) * c + ci]);
                            }
                        y[((b * oh + oy) * ow + ox) * c + ci] = best;
                    }
        return new T([n, oh, ow, c], y);
    }

    private static T BatchNorm(T x, T scale, T offset, T mean, T variance, float epsilon)
    {
        int c = x.Shape[^1];
        var y = new float[x.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int ch = i % c;
            y[i] = (x.Data[i] - mean.Data[ch]) / MathF.Sqrt(variance.Data[ch] + epsilon) * scale.Data[ch] + offset.Data[ch];
        }
        return new T(x.Shape, y);
    }
}
