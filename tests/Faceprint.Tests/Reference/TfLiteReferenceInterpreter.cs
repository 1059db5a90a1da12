using Faceprint.Import.TfLite;

namespace Faceprint.Tests.Reference;

/// <summary>
/// An independent, deliberately naive interpreter of the raw TFLite graph (scalar loops, TFLite's own op
/// semantics, no importer, no packing). Tests compare the engine's imported networks against it.
/// </summary>
internal sealed class TfLiteReferenceInterpreter(TfLiteModel model)
{
    private sealed record T(int[] Shape, float[] Data)
    {
        public int Last => Shape[^1];
    }

    public float[][] Run(float[] input, int[] inputShape)
    {
        var values = new Dictionary<int, T> { [model.Inputs[0]] = new(inputShape, input) };
        T Get(int i) => values.TryGetValue(i, out var v) ? v : new T(model.Tensors[i].Shape, model.Tensors[i].Data ?? []);
        foreach (var op in model.Operators)
        {
            T result = op.Op switch
            {
                TfLiteOp.Conv2D => Conv(Get(op.Inputs[0]), Get(op.Inputs[1]), Get(op.Inputs[2]), op.Options, depthwise: false),
                TfLiteOp.DepthwiseConv2D => Conv(Get(op.Inputs[0]), Get(op.Inputs[1]), Get(op.Inputs[2]), op.Options, depthwise: true),
                TfLiteOp.Relu => Map(Get(op.Inputs[0]), v => Math.Max(v, 0f)),
                TfLiteOp.LeakyRelu => Map(Get(op.Inputs[0]), v => v >= 0 ? v : op.Options.Alpha * v),
                TfLiteOp.GreaterEqual => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a >= b ? 1f : 0f),
                TfLiteOp.Less => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a < b ? 1f : 0f),
                // Booleans are already held as 0/1 floats here.
                TfLiteOp.Cast => Get(op.Inputs[0]),
                TfLiteOp.StridedSlice => StridedSlice(Get(op.Inputs[0]), model.Tensors[op.Inputs[1]].Ints!, model.Tensors[op.Inputs[2]].Ints!,
                    model.Tensors[op.Inputs[3]].Ints!, op.Options),
                TfLiteOp.AveragePool2D => AveragePool(Get(op.Inputs[0]), op.Options),
                TfLiteOp.Neg => Map(Get(op.Inputs[0]), v => -v),
                TfLiteOp.Abs => Map(Get(op.Inputs[0]), Math.Abs),
                TfLiteOp.Exp => Map(Get(op.Inputs[0]), v => (float)Math.Exp(v)),
                TfLiteOp.Add => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a + b),
                TfLiteOp.Sub => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a - b),
                TfLiteOp.Mul => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a * b),
                (TfLiteOp)42 => Binary(Get(op.Inputs[0]), Get(op.Inputs[1]), (a, b) => a / b),
                TfLiteOp.MaxPool2D => MaxPool(Get(op.Inputs[0]), op.Options),
                TfLiteOp.FullyConnected => Dense(Get(op.Inputs[0]), Get(op.Inputs[1]), Get(op.Inputs[2])),
                (TfLiteOp)82 => ReduceLast(Get(op.Inputs[0]), float.NegativeInfinity, Math.Max),
                TfLiteOp.Sum => ReduceLast(Get(op.Inputs[0]), 0f, (a, b) => a + b),
                TfLiteOp.Reshape => Reshape(Get(op.Inputs[0]), model.Tensors[op.Outputs[0]].Shape),
                TfLiteOp.Dequantize => Get(op.Inputs[0]),
                TfLiteOp.Pad => Pad(Get(op.Inputs[0]), model.Tensors[op.Inputs[1]].Ints!),
                TfLiteOp.ResizeBilinear => Resize(Get(op.Inputs[0]), model.Tensors[op.Inputs[1]].Ints!, op.Options),
                TfLiteOp.Concatenation => Concat(op.Inputs.Select(Get).ToArray(), op.Options.Axis),
                _ => throw new NotSupportedException($"reference interpreter lacks {op.Op}"),
            };
            values[op.Outputs[0]] = result;
        }
        return model.Outputs.Select(o => values[o].Data).ToArray();
    }

    /// <summary>The file's static output shape with this run's batch; a flat [batch, rest] when that does not fit.</summary>
    private static T Reshape(T x, int[] shape)
    {
        int[] target = [x.Shape[0], .. shape[1..]];
        return target.Aggregate(1, (a, b) => a * b) == x.Data.Length ? new T(target, x.Data) : new T([x.Shape[0], x.Data.Length / x.Shape[0]], x.Data);
    }

    /// <summary>Zero padding of a rank-4 tensor, [before, after] per axis.</summary>
    private static T Pad(T x, int[] pads)
    {
        var s = x.Shape;
        int[] o = [.. Enumerable.Range(0, 4).Select(a => s[a] + pads[2 * a] + pads[2 * a + 1])];
        var y = new float[o[0] * o[1] * o[2] * o[3]];
        for (int n = 0; n < s[0]; n++)
            for (int h = 0; h < s[1]; h++)
                for (int w = 0; w < s[2]; w++)
                    for (int c = 0; c < s[3]; c++)
                        y[(((n + pads[0]) * o[1] + h + pads[2]) * o[2] + w + pads[4]) * o[3] + c + pads[6]] = x.Data[((n * s[1] + h) * s[2] + w) * s[3] + c];
        return new T(o, y);
    }

    /// <summary>TFLite's bilinear resize: lower neighbour floor(src) clamped at 0, upper ceil(src) clamped at the edge, weight src − lower.</summary>
    private static T Resize(T x, int[] size, TfLiteOptions options)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], oh = size[0], ow = size[1];
        var y = new float[n * oh * ow * c];
        (int Lo, int Hi, double F) Source(int o, int input, int output)
        {
            double scale = options.AlignCorners && output > 1 ? (input - 1.0) / (output - 1.0) : (double)input / output;
            double v = options.HalfPixelCenters ? (o + 0.5) * scale - 0.5 : o * scale;
            int lo = Math.Max((int)Math.Floor(v), 0), hi = Math.Min((int)Math.Ceiling(v), input - 1);
            return (lo, hi, v - lo);
        }
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    var (y0, y1, fy) = Source(oy, h, oh);
                    var (x0, x1, fx) = Source(ox, wd, ow);
                    for (int ch = 0; ch < c; ch++)
                    {
                        double At(int yy, int xx) => x.Data[((img * h + yy) * wd + xx) * c + ch];
                        y[((img * oh + oy) * ow + ox) * c + ch] = (float)(At(y0, x0) * (1 - fy) * (1 - fx) + At(y1, x0) * fy * (1 - fx)
                            + At(y0, x1) * (1 - fy) * fx + At(y1, x1) * fy * fx);
                    }
                }
        return new T([n, oh, ow, c], y);
    }

    /// <summary>Concatenation along <paramref name="axis"/> of tensors of any (equal) rank.</summary>
    private static T Concat(T[] parts, int axis)
    {
        int rank = parts[0].Shape.Length;
        if (axis < 0) axis += rank;
        int outer = parts[0].Shape[..axis].Aggregate(1, (a, b) => a * b);
        var blocks = parts.Select(p => p.Data.Length / outer).ToArray();
        var y = new List<float>();
        for (int r = 0; r < outer; r++)
            for (int i = 0; i < parts.Length; i++)
                y.AddRange(parts[i].Data.Skip(r * blocks[i]).Take(blocks[i]));
        int[] shape = [.. parts[0].Shape];
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        return new T(shape, [.. y]);
    }

    private static T Map(T x, Func<float, float> f) => new(x.Shape, x.Data.Select(f).ToArray());

    private static T Binary(T a, T b, Func<float, float, float> f)
    {
        if (a.Data.Length < b.Data.Length) return Binary(b, a, (x, y) => f(y, x));
        var o = new float[a.Data.Length];
        // Broadcasts: same shape, a scalar, a per-channel vector [C], or a per-position column [..., 1].
        bool column = b.Shape.Length == a.Shape.Length && b.Last == 1 && a.Last != 1;
        for (int i = 0; i < o.Length; i++)
        {
            float bv = b.Data.Length == o.Length ? b.Data[i]
                : b.Data.Length == 1 ? b.Data[0]
                : column ? b.Data[i / a.Last]
                : b.Data[i % b.Data.Length];
            o[i] = f(a.Data[i], bv);
        }
        return new T(a.Shape, o);
    }

    private static T ReduceLast(T x, float seed, Func<float, float, float> f)
    {
        int c = x.Last, rows = x.Data.Length / c;
        var o = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            float acc = seed;
            for (int j = 0; j < c; j++) acc = f(acc, x.Data[r * c + j]);
            o[r] = acc;
        }
        return new T([.. x.Shape[..^1], 1], o);
    }

    private static (int Out, int Pad) Axis(int input, int k, int stride, TfLitePadding padding)
    {
        if (padding == TfLitePadding.Valid) return ((input - k) / stride + 1, 0);
        int output = (input + stride - 1) / stride;
        return (output, Math.Max((output - 1) * stride + k - input, 0) / 2);
    }

    private static T Conv(T x, T w, T b, TfLiteOptions o, bool depthwise)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], cin = x.Shape[3];
        int kh = w.Shape[1], kw = w.Shape[2], cout = depthwise ? w.Shape[3] : w.Shape[0];
        var (oh, pt) = Axis(h, kh, o.StrideH, o.Padding);
        var (ow, pl) = Axis(wd, kw, o.StrideW, o.Padding);
        var y = new float[n * oh * ow * cout];
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int co = 0; co < cout; co++)
                    {
                        double acc = b.Data[co];
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * o.StrideH - pt + ky, ix = ox * o.StrideW - pl + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                int pixel = ((img * h + iy) * wd + ix) * cin;
                                if (depthwise) acc += x.Data[pixel + co] * w.Data[(ky * kw + kx) * cout + co];
                                else
                                    for (int ci = 0; ci < cin; ci++)
                                        acc += x.Data[pixel + ci] * w.Data[((co * kh + ky) * kw + kx) * cin + ci];
                            }
                        y[((img * oh + oy) * ow + ox) * cout + co] = (float)acc;
                    }
        return new T([n, oh, ow, cout], y);
    }

    private static T MaxPool(T x, TfLiteOptions o)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        var (oh, pt) = Axis(h, o.FilterH, o.StrideH, o.Padding);
        var (ow, pl) = Axis(wd, o.FilterW, o.StrideW, o.Padding);
        var y = new float[n * oh * ow * c];
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        float m = float.NegativeInfinity;
                        for (int ky = 0; ky < o.FilterH; ky++)
                            for (int kx = 0; kx < o.FilterW; kx++)
                            {
                                int iy = oy * o.StrideH - pt + ky, ix = ox * o.StrideW - pl + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) m = Math.Max(m, x.Data[((img * h + iy) * wd + ix) * c + ch]);
                            }
                        y[((img * oh + oy) * ow + ox) * c + ch] = m;
                    }
        return new T([n, oh, ow, c], y);
    }

    /// <summary>TFLite's strided slice with begin/end masks (no ellipsis, new or shrunk axes), positive strides.</summary>
    private static T StridedSlice(T x, int[] begin, int[] end, int[] strides, TfLiteOptions o)
    {
        if (o.EllipsisMask != 0 || o.NewAxisMask != 0 || o.ShrinkAxisMask != 0 || strides.Any(s => s <= 0))
            throw new NotSupportedException("reference strided slice takes masks on begin and end only, positive strides");
        int rank = x.Shape.Length;
        int[] from = new int[rank], count = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            int d = x.Shape[a];
            int b = (o.BeginMask >> a & 1) == 1 ? 0 : begin[a] < 0 ? begin[a] + d : begin[a];
            int e = (o.EndMask >> a & 1) == 1 ? d : end[a] < 0 ? end[a] + d : Math.Min(end[a], d);
            from[a] = b;
            count[a] = Math.Max(0, (e - b + strides[a] - 1) / strides[a]);
        }
        var y = new float[count.Aggregate(1, (p, q) => p * q)];
        var index = new int[rank];
        for (int i = 0; i < y.Length; i++)
        {
            int rest = i, source = 0;
            for (int a = rank - 1; a >= 0; a--)
            {
                index[a] = rest % count[a];
                rest /= count[a];
            }
            for (int a = 0; a < rank; a++) source = source * x.Shape[a] + from[a] + index[a] * strides[a];
            y[i] = x.Data[source];
        }
        return new T(count, y);
    }

    /// <summary>Average over the window's in-image positions only (TensorFlow's SAME average pool).</summary>
    private static T AveragePool(T x, TfLiteOptions o)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        var (oh, pt) = Axis(h, o.FilterH, o.StrideH, o.Padding);
        var (ow, pl) = Axis(wd, o.FilterW, o.StrideW, o.Padding);
        var y = new float[n * oh * ow * c];
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        int used = 0;
                        for (int ky = 0; ky < o.FilterH; ky++)
                            for (int kx = 0; kx < o.FilterW; kx++)
                            {
                                int iy = oy * o.StrideH - pt + ky, ix = ox * o.StrideW - pl + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                sum += x.Data[((img * h + iy) * wd + ix) * c + ch];
                                used++;
                            }
                        y[((img * oh + oy) * ow + ox) * c + ch] = (float)(sum / used);
                    }
        return new T([n, oh, ow, c], y);
    }

    private static T Dense(T x, T w, T b)
    {
        int outF = w.Shape[0], inF = w.Shape[1], n = x.Data.Length / inF;
        var y = new float[n * outF];
        for (int img = 0; img < n; img++)
            for (int o = 0; o < outF; o++)
            {
                double acc = b.Data[o];
                for (int i = 0; i < inF; i++) acc += x.Data[img * inF + i] * w.Data[o * inF + i];
                y[img * outF + o] = (float)acc;
            }
        return new T([n, outF], y);
    }
}
