using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Import.TfJs;

/// <summary>The per-op rules of <see cref="TfJsGraphTranslator"/>.</summary>
internal sealed partial class TfJsGraphTranslator
{
    private Value Convolution(TfJsNode node, LinearKind kind)
    {
        var filter = Constant(node.Inputs[1]);
        if (filter.Shape.Length != 4) throw new ModelFormatException($"{node.Name}: the filter must be 4-D, got [{string.Join(',', filter.Shape)}]");
        int kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cout = filter.Shape[3];
        if (kh != kw) throw new ModelFormatException($"{node.Name}: only square kernels are supported ({kh}x{kw})");
        if (node.String("data_format") is { } format && format != "NHWC") throw new ModelFormatException($"{node.Name}: data format {format} is not supported");
        if (node.Ints("dilations") is { } dilations && dilations.Any(d => d != 1)) throw new ModelFormatException($"{node.Name}: dilated convolution is not supported");
        int stride = Stride(node, "strides");
        var padding = PaddingOf(node);
        string inputName = node.Inputs[0];
        if (padding.Mode == PaddingMode.Valid && SymmetricPad(inputName) is { } pad)
        {
            padding = Padding.Symmetric(pad);
            inputName = _model.Node(inputName).Inputs[0];
        }
        var input = Built(inputName);
        float[] weight;
        if (kind == LinearKind.Conv)
        {
            if (input.Shape.C != cin) throw new ModelFormatException($"{node.Name}: the filter takes {cin} channels, the input has {input.Shape.C}");
            weight = HwioToOihw(filter.RequireFloats(), kh, kw, cin, cout);
        }
        else
        {
            if (cout != 1) throw new ModelFormatException($"{node.Name}: depthwise channel multiplier {cout} is not supported");
            if (input.Shape.C != cin) throw new ModelFormatException($"{node.Name}: the filter takes {cin} channels, the input has {input.Shape.C}");
            cout = cin;
            weight = DepthwiseToCanonical(filter.RequireFloats(), kh, kw, cin);
        }
        var pending = new Pending(node.Name, kind, input.Id, input.Shape, weight, new float[cout], kh, stride, padding, Activation.None, false);
        return FusedOps(node, pending);
    }

    private Value Dense(TfJsNode node)
    {
        if (node.Bool("transpose_a")) throw new ModelFormatException($"{node.Name}: transposed matmul input is not supported");
        var input = Built(node.Inputs[0]);
        var w = Constant(node.Inputs[1]);
        if (w.Shape.Length != 2) throw new ModelFormatException($"{node.Name}: the matmul weight must be 2-D");
        bool transposed = node.Bool("transpose_b");
        int k = transposed ? w.Shape[1] : w.Shape[0], m = transposed ? w.Shape[0] : w.Shape[1];
        if (input.Shape.PerImage != k) throw new ModelFormatException($"{node.Name}: the weight takes {k} inputs, the value has {input.Shape.PerImage}");
        var data = w.RequireFloats();
        var weight = new float[m * k];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < k; i++)
                weight[o * k + i] = transposed ? data[o * k + i] : data[i * m + o];
        var pending = new Pending(node.Name, LinearKind.Dense, input.Id, input.Shape, weight, new float[m], 1, 1, Padding.Valid, Activation.None, false);
        return FusedOps(node, pending);
    }

    /// <summary>The fused tail of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul: its extra inputs follow the filter.</summary>
    private Value FusedOps(TfJsNode node, Pending pending)
    {
        var ops = node.Strings("fused_ops");
        int arg = 2;
        string Next() => arg < node.Inputs.Count ? node.Inputs[arg++] : throw new ModelFormatException($"{node.Name}: fused op arguments are missing");
        foreach (string op in ops)
        {
            pending = op switch
            {
                "BiasAdd" => pending.Affine(Ones(pending.Bias.Length), PerChannel(Constant(Next()), pending.Bias.Length, node)),
                "FusedBatchNorm" => BatchNormFold(pending, node, Next(), Next(), Next(), Next(), node.Float("epsilon")),
                "Relu" when pending.Open => pending with { Activation = Activation.Relu },
                "Relu6" when pending.Open => pending with { Relu6 = true },
                "Prelu" when pending.Open => pending with { Activation = Activation.PRelu(PerChannel(Constant(Next()), pending.Bias.Length, node)) },
                _ => throw new ModelFormatException($"{node.Name}: fused op '{op}' is not supported here"),
            };
        }
        if (arg != node.Inputs.Count) throw new ModelFormatException($"{node.Name}: {node.Inputs.Count - arg} fused op argument(s) are not used by fused_ops [{string.Join(',', ops)}]");
        return pending;
    }

    private Pending BatchNormFold(Pending pending, TfJsNode node, string scale, string offset, string mean, string variance, float epsilon)
    {
        var (s, t) = BatchNormAffine(node, scale, offset, mean, variance, epsilon, pending.Bias.Length);
        return pending.Affine(s, t);
    }

    private (float[] Scale, float[] Shift) BatchNormAffine(TfJsNode node, string scale, string offset, string mean, string variance, float epsilon, int c)
    {
        float[] g = PerChannel(Constant(scale), c, node), b = PerChannel(Constant(offset), c, node);
        float[] m = PerChannel(Constant(mean), c, node), v = PerChannel(Constant(variance), c, node);
        var s = new float[c];
        var t = new float[c];
        for (int i = 0; i < c; i++)
        {
            s[i] = g[i] / MathF.Sqrt(v[i] + epsilon);
            t[i] = b[i] - m[i] * s[i];
        }
        return (s, t);
    }

    private Value BatchNorm(TfJsNode node)
    {
        if (node.Inputs.Count != 5) throw new ModelFormatException($"{node.Name}: FusedBatchNorm takes 5 inputs");
        var x = Emit(node.Inputs[0]);
        var (s, t) = BatchNormAffine(node, node.Inputs[1], node.Inputs[2], node.Inputs[3], node.Inputs[4], node.Float("epsilon", 1e-3f), Channels(x));
        return Affine(node, node.Inputs[0], x, s, t);
    }

    private enum Fold { Shift, Scale }

    private Value WithConstant(TfJsNode node, Value x, TfJsTensor c, Fold fold)
    {
        int channels = Channels(x);
        var v = PerChannel(c, channels, node);
        return fold == Fold.Shift ? Affine(node, node.Inputs[0], x, Ones(channels), v) : Affine(node, node.Inputs[0], x, v, new float[channels]);
    }

    /// <summary>x·scale + shift per channel: folded into an open pending op that only this node reads, else its own layer.</summary>
    private Value Affine(TfJsNode node, string xName, Value x, float[] scale, float[] shift)
    {
        if (x is Pending p && p.Open && ReadOnlyBy(xName, 1)) return p.Affine(scale, shift);
        var built = Materialize(x, Activation.None);
        return Append(new ChannelAffineLayer(node.Name, built.Id, _builder.NewValue(), scale, shift), built);
    }

    private Value Add(TfJsNode node)
    {
        Binary(node, out string a, out string b);
        if (PReluOf(a, b) is { } prelu) return Activated(prelu.X, prelu.Readers, Activation.PRelu(prelu.Slopes));
        if (ConstantOrNull(b) is { } cb) return Affine(node, a, Emit(a), cb, Fold.Shift);
        if (ConstantOrNull(a) is { } ca) return Affine(node, b, Emit(b), ca, Fold.Shift);
        var left = Built(a);
        var right = Built(b);
        if (left.Shape != right.Shape) throw new ModelFormatException($"{node.Name}: adding {left.Shape} and {right.Shape} (broadcasting) is not supported");
        var layer = new AddLayer(node.Name, left.Id, right.Id, _builder.NewValue());
        _builder.Add(layer);
        return new Ready(layer.Output, left.Shape);
    }

    private Value Affine(TfJsNode node, string xName, Value x, TfJsTensor c, Fold fold)
    {
        int channels = Channels(x);
        var v = PerChannel(c, channels, node);
        return fold == Fold.Shift ? Affine(node, xName, x, Ones(channels), v) : Affine(node, xName, x, v, new float[channels]);
    }

    private Value Sub(TfJsNode node)
    {
        Binary(node, out string a, out string b);
        if (ConstantOrNull(b) is { } cb)
        {
            var x = Emit(a);
            return Affine(node, a, x, Ones(Channels(x)), [.. PerChannel(cb, Channels(x), node).Select(v => -v)]);
        }
        if (ConstantOrNull(a) is { } ca)
        {
            var x = Emit(b);
            return Affine(node, b, x, [.. Ones(Channels(x)).Select(v => -v)], PerChannel(ca, Channels(x), node));
        }
        throw new ModelFormatException($"{node.Name}: Sub of two tensors outside a PReLU pattern is not supported");
    }

    private Value Mul(TfJsNode node)
    {
        Binary(node, out string a, out string b);
        if (L2Epsilon(a, b) is { } eps1) return L2(node, a, eps1);
        if (L2Epsilon(b, a) is { } eps2) return L2(node, b, eps2);
        if (ConstantOrNull(b) is { } cb) return Affine(node, a, Emit(a), cb, Fold.Scale);
        if (ConstantOrNull(a) is { } ca) return Affine(node, b, Emit(b), ca, Fold.Scale);
        throw new ModelFormatException($"{node.Name}: Mul of two tensors outside a PReLU or L2-normalisation pattern is not supported");
    }

    private Value L2(TfJsNode node, string x, float epsilon)
    {
        var built = Built(x);
        return Append(new L2NormalizeLayer(node.Name, built.Id, _builder.NewValue(), epsilon), built);
    }

    /// <summary>ε when <paramref name="r"/> is rsqrt(max(sum(square(<paramref name="x"/>), last axis), ε)).</summary>
    private float? L2Epsilon(string x, string r)
    {
        var rsqrt = _model.Node(r);
        if (rsqrt.Op != "Rsqrt") return null;
        var max = _model.Node(Only(rsqrt));
        if (max.Op != "Maximum" || max.Inputs.Count != 2) return null;
        var (sumName, epsName) = ConstantOrNull(max.Inputs[1]) is not null ? (max.Inputs[0], max.Inputs[1]) : (max.Inputs[1], max.Inputs[0]);
        var eps = ConstantOrNull(epsName);
        var sum = _model.Node(sumName);
        if (eps is not { Count: 1, Floats: not null } || sum.Op != "Sum" || sum.Inputs.Count != 2) return null;
        var square = _model.Node(sum.Inputs[0]);
        if (square.Op != "Square" || Only(square) != x) return null;
        var axes = Constant(sum.Inputs[1]).RequireInts();
        int rank = RankOf(x);
        if (axes.Length != 1 || (axes[0] != rank - 1 && axes[0] != -1))
            throw new ModelFormatException($"{sum.Name}: L2 normalisation over axis {string.Join(',', axes)} of a rank-{rank} tensor is not supported");
        return eps.Floats[0];
    }

    /// <summary>Rank of a value as TensorFlow sees it: 2 after a Squeeze, Reshape to [n, k] or MatMul, else 4.</summary>
    private int RankOf(string name)
    {
        var node = _model.Node(name);
        return node.Op switch
        {
            "Squeeze" or "MatMul" or "_FusedMatMul" => 2,
            "Reshape" => Constant(node.Inputs[1]).Count,
            "Identity" => RankOf(Only(node)),
            "Mean" when !node.Bool("keep_dims") => 4 - Constant(node.Inputs[1]).Count,
            _ => 4,
        };
    }

    private Value Relu(TfJsNode node) => Activated(Only(node), 1, Activation.Relu);

    /// <summary>
    /// <paramref name="activation"/> applied to node <paramref name="x"/>: fused into its pending op when the
    /// pattern's <paramref name="readers"/> nodes are its only readers, else as a separate step.
    /// </summary>
    private Value Activated(string x, int readers, Activation activation)
    {
        var value = Emit(x);
        if (value is Pending p && ReadOnlyBy(x, readers))
        {
            if (p.Open) return p with { Activation = activation };
            // A PReLU or ReLU after a ReLU/ReLU6 sees only non-negative values: the identity.
            if (activation.Kind is ActivationKind.PRelu or ActivationKind.Relu && (p.Relu6 || p.Activation.Kind == ActivationKind.Relu)) return p;
        }
        return Materialize(value, activation);
    }

    private Value Relu6(TfJsNode node, string x)
    {
        // relu6(relu(y)) = relu6(y): look through a ReLU only this pattern reads.
        var inner = _model.Node(x);
        if (inner.Op == "Relu" && ReadOnlyBy(inner.Name, 1)) x = Only(inner);
        var value = Emit(x);
        if (value is Pending p && p.Open && ReadOnlyBy(x, 1)) return p with { Relu6 = true };
        var built = Materialize(value, Activation.None);
        return Append(new Relu6Layer(node.Name, built.Id, _builder.NewValue()), built);
    }

    private Value Maximum(TfJsNode node)
    {
        Binary(node, out string a, out string b);
        var (x, c) = ConstantOrNull(b) is not null ? (a, b) : (b, a);
        if (ScalarValue(c) != 0f) throw new ModelFormatException($"{node.Name}: Maximum is supported only against 0 (ReLU, ReLU6)");
        var inner = _model.Node(x);
        // max(min(y, 6), 0) is ReLU6.
        if (inner.Op == "Minimum" && ReadOnlyBy(x, 1) && ClampArgument(inner, 6f) is { } y) return Relu6(node, y);
        return Activated(x, 1, Activation.Relu);
    }

    private Value Minimum(TfJsNode node)
    {
        // min(max(y, 0), 6) and min(relu(y), 6) are ReLU6.
        if (ClampArgument(node, 6f) is not { } y) throw new ModelFormatException($"{node.Name}: Minimum is supported only as part of ReLU6");
        var inner = _model.Node(y);
        if (inner.Op == "Maximum" && ReadOnlyBy(y, 1))
        {
            Binary(inner, out string a, out string b);
            var (x, c) = ConstantOrNull(b) is not null ? (a, b) : (b, a);
            if (ScalarValue(c) == 0f) return Relu6(node, x);
        }
        if (inner.Op == "Relu") return Relu6(node, y);
        throw new ModelFormatException($"{node.Name}: Minimum is supported only as part of ReLU6");
    }

    /// <summary>The tensor argument of min(tensor, <paramref name="bound"/>), or null when <paramref name="node"/> is not that.</summary>
    private string? ClampArgument(TfJsNode node, float bound)
    {
        if (node.Op != "Minimum" || node.Inputs.Count != 2) return null;
        var (x, c) = ConstantOrNull(node.Inputs[1]) is not null ? (node.Inputs[0], node.Inputs[1]) : (node.Inputs[1], node.Inputs[0]);
        return ScalarValue(c) == bound ? x : null;
    }

    private float? ScalarValue(string name) => ConstantOrNull(name) is { Count: 1, Floats: { } f } ? f[0] : null;

    private sealed record PRelu(string X, float[] Slopes, int Readers);

    /// <summary>
    /// relu(x) + c·(x − |x|) (x − |x| = 2·min(x, 0), so slope 2c), x + c·(x − |x|) (slope 1 + 2c) or
    /// max(x, 0) + c·min(x, 0) (slope c), operands in either order.
    /// </summary>
    private PRelu? PReluOf(string a, string b) => PReluOrdered(a, b) ?? PReluOrdered(b, a);

    private PRelu? PReluOrdered(string positive, string negative)
    {
        var pos = _model.Node(positive);
        var mul = _model.Node(negative);
        if (mul.Op != "Mul" || mul.Inputs.Count != 2) return null;
        var (partName, cName) = ConstantOrNull(mul.Inputs[1]) is not null ? (mul.Inputs[0], mul.Inputs[1]) : (mul.Inputs[1], mul.Inputs[0]);
        if (ConstantOrNull(cName) is not { Floats: { } c }) return null;
        var part = _model.Node(partName);
        string x;
        float factor;
        if (pos.Op == "Relu" && part.Op == "Sub" && part.Inputs.Count == 2)
        {
            x = Only(pos);
            var abs = _model.Node(part.Inputs[1]);
            if (part.Inputs[0] != x || abs.Op != "Abs" || Only(abs) != x) return null;
            factor = 2f;
        }
        else if (part.Op == "Sub" && part.Inputs.Count == 2 && part.Inputs[0] == positive
                 && _model.Node(part.Inputs[1]) is { Op: "Abs" } abs2 && Only(abs2) == positive)
        {
            // x + c·(x − |x|) = x + 2c·min(x, 0): PReLU with slope 1 + 2c.
            int n = Channels(Emit(positive));
            var s = c.Length == 1 ? Enumerable.Repeat(1 + 2 * c[0], n).ToArray()
                : c.Length == n ? [.. c.Select(v => 1 + 2 * v)]
                : throw new ModelFormatException($"{mul.Name}: {c.Length} PReLU slopes for {n} channels");
            return new PRelu(positive, s, 3);
        }
        else if (pos.Op == "Maximum" && part.Op == "Minimum")
        {
            string? p = ZeroClamped(pos), n = ZeroClamped(part);
            if (p is null || p != n) return null;
            x = p;
            factor = 1f;
        }
        else
        {
            return null;
        }
        int channels = Channels(Emit(x));
        var slopes = c.Length == 1 ? Enumerable.Repeat(c[0] * factor, channels).ToArray()
            : c.Length == channels ? [.. c.Select(v => v * factor)]
            : throw new ModelFormatException($"{mul.Name}: {c.Length} PReLU slopes for {channels} channels");
        return new PRelu(x, slopes, pos.Op == "Relu" ? 3 : 2);
    }

    /// <summary>The tensor argument of max(x, 0) or min(x, 0), operands in either order.</summary>
    private string? ZeroClamped(TfJsNode node)
    {
        if (node.Inputs.Count != 2) return null;
        if (ScalarValue(node.Inputs[1]) == 0f && ConstantOrNull(node.Inputs[0]) is null) return node.Inputs[0];
        if (ScalarValue(node.Inputs[0]) == 0f && ConstantOrNull(node.Inputs[1]) is null) return node.Inputs[1];
        return null;
    }

    private Value Mean(TfJsNode node)
    {
        var axes = Constant(node.Inputs[1]).RequireInts().OrderBy(a => a).ToArray();
        if (axes is not [1, 2]) throw new ModelFormatException($"{node.Name}: Mean over axes [{string.Join(',', axes)}] is not supported (only spatial [1, 2])");
        var built = Built(node.Inputs[0]);
        return Append(new GlobalAveragePoolLayer(node.Name, built.Id, _builder.NewValue()), built);
    }

    private Value Reshape(TfJsNode node)
    {
        var built = Built(node.Inputs[0]);
        int[] shape = Constant(node.Inputs[1]).RequireInts();
        int per = built.Shape.PerImage;
        TensorShape target = shape switch
        {
            [_, int k] when k == per || k == -1 => new TensorShape(1, 1, 1, per),
            [_, int h, int w, int c] when h > 0 && w > 0 && c > 0 && h * w * c == per => new TensorShape(1, h, w, c),
            _ => throw new ModelFormatException($"{node.Name}: reshape of {built.Shape} to [{string.Join(',', shape)}] is not supported"),
        };
        return Append(new ReshapeLayer(node.Name, built.Id, _builder.NewValue(), target), built);
    }

    private Value MaxPool(TfJsNode node)
    {
        int[] k = node.Ints("ksize") ?? throw new ModelFormatException($"{node.Name}: MaxPool has no ksize");
        if (k is not [1, var kh, var kw, 1] || kh != kw) throw new ModelFormatException($"{node.Name}: only square spatial pooling windows are supported");
        var built = Built(node.Inputs[0]);
        return Append(new MaxPool2dLayer(node.Name, built.Id, _builder.NewValue(), kh, Stride(node, "strides"), PaddingOf(node)), built);
    }

    private int Channels(Value value) => value switch
    {
        Pending p => p.Bias.Length,
        Ready r => r.Shape.C,
        _ => throw new InvalidOperationException(),
    };

    private static void Binary(TfJsNode node, out string a, out string b)
    {
        if (node.Inputs.Count != 2) throw new ModelFormatException($"{node.Name}: {node.Op} takes two inputs, got {node.Inputs.Count}");
        a = node.Inputs[0];
        b = node.Inputs[1];
    }

    /// <summary>A constant broadcast over <paramref name="channels"/> channels: a scalar, or C values along the last axis only.</summary>
    private static float[] PerChannel(TfJsTensor c, int channels, TfJsNode node)
    {
        var data = c.RequireFloats();
        if (data.Length == 1) return Enumerable.Repeat(data[0], channels).ToArray();
        if (data.Length == channels && c.Shape.Length > 0 && c.Shape[^1] == channels) return data;
        throw new ModelFormatException($"{node.Name}: constant '{c.Name}' of shape [{string.Join(',', c.Shape)}] does not broadcast per channel over {channels} channels");
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static int Stride(TfJsNode node, string key)
    {
        int[] s = node.Ints(key) ?? [1, 1, 1, 1];
        if (s is not [1, var sh, var sw, 1] || sh != sw) throw new ModelFormatException($"{node.Name}: strides [{string.Join(',', s)}] are not supported (equal spatial strides only)");
        return sh;
    }

    private static Padding PaddingOf(TfJsNode node) => node.String("padding") switch
    {
        "SAME" => Padding.Same,
        "VALID" => Padding.Valid,
        "EXPLICIT" when node.Ints("explicit_paddings") is [0, 0, var t, var b, var l, var r, 0, 0] && t == b && l == r && t == l => Padding.Symmetric(t),
        var p => throw new ModelFormatException($"{node.Name}: padding '{p}' is not supported"),
    };

    /// <summary>p when <paramref name="name"/> is a Pad of p zeros on each spatial side only, read by nothing else.</summary>
    private int? SymmetricPad(string name)
    {
        var node = _model.Node(name);
        if (node.Op != "Pad" || node.Inputs.Count != 2 || !ReadOnlyBy(name, 1)) return null;
        int[] p = Constant(node.Inputs[1]).RequireInts();
        return p is [0, 0, var t, var b, var l, var r, 0, 0] && t == b && l == r && t == l ? t : null;
    }

    /// <summary>TF conv filters are [kh, kw, in, out]; the engine's are [out, in, kh, kw].</summary>
    internal static float[] HwioToOihw(float[] src, int kh, int kw, int cin, int cout)
    {
        var dst = new float[src.Length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int i = 0; i < cin; i++)
                    for (int o = 0; o < cout; o++)
                        dst[((o * cin + i) * kh + y) * kw + x] = src[((y * kw + x) * cin + i) * cout + o];
        return dst;
    }

    /// <summary>TF depthwise filters are [kh, kw, c, 1]; the engine's are [c, 1, kh, kw].</summary>
    internal static float[] DepthwiseToCanonical(float[] src, int kh, int kw, int c)
    {
        var dst = new float[src.Length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int ch = 0; ch < c; ch++)
                    dst[(ch * kh + y) * kw + x] = src[(y * kw + x) * c + ch];
        return dst;
    }
}
