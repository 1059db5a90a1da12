namespace Faceprint.Import.TfLite;

/// <summary>
/// Pulls a TFLite graph's parameters out in execution order, converted to the canonical layouts
/// (conv [out, in, kh, kw], depthwise [c, 1, kh, kw], linear [out, in]), so a definition's ordered
/// parameter list can be matched against them. PReLU, which these files spell out as element-wise ops,
/// is recognised and reduced to its slope.
/// </summary>
internal static class TfLiteParameterExtractor
{
    public static List<float[]> Extract(TfLiteModel model)
    {
        var producers = new Dictionary<int, TfLiteOperator>();
        foreach (var op in model.Operators)
            foreach (int o in op.Outputs) producers[o] = op;

        var values = new List<float[]>();
        foreach (var op in model.Operators)
        {
            switch (op.Op)
            {
                case TfLiteOp.Conv2D:
                    RequireNoFusedActivation(op);
                    values.Add(OhwiToOihw(Constant(model, op.Inputs[1])));
                    values.Add(Constant(model, op.Inputs[2]).Data!);
                    break;
                case TfLiteOp.DepthwiseConv2D:
                    RequireNoFusedActivation(op);
                    if (op.Options.DepthMultiplier != 1) throw new ModelFormatException($"depthwise conv with depth multiplier {op.Options.DepthMultiplier} is not supported");
                    values.Add(DepthwiseToCanonical(Constant(model, op.Inputs[1])));
                    values.Add(Constant(model, op.Inputs[2]).Data!);
                    break;
                case TfLiteOp.FullyConnected:
                    RequireNoFusedActivation(op);
                    values.Add(Constant(model, op.Inputs[1]).Data!);
                    values.Add(Constant(model, op.Inputs[2]).Data!);
                    break;
                case TfLiteOp.Mul when PReluSlope(model, producers, op) is { } slope:
                    values.Add(slope);
                    break;
            }
        }
        return values;
    }

    /// <summary>
    /// The slope when <paramref name="mul"/> is c·neg(x) with neg(x) = −relu(−x) = min(x, 0), or
    /// c·(x − |x|) = 2·min(x, 0); both forms occur in the shipped files.
    /// </summary>
    private static float[]? PReluSlope(TfLiteModel model, Dictionary<int, TfLiteOperator> producers, TfLiteOperator mul)
    {
        if (mul.Inputs.Length != 2) return null;
        int constIndex = model.Tensors[mul.Inputs[0]].Data is { Length: > 0 } ? 0 : model.Tensors[mul.Inputs[1]].Data is { Length: > 0 } ? 1 : -1;
        if (constIndex < 0) return null;
        float[] c = model.Tensors[mul.Inputs[constIndex]].Data!;
        if (!producers.TryGetValue(mul.Inputs[1 - constIndex], out var negativePart)) return null;
        float factor;
        if (negativePart.Op == TfLiteOp.Neg && producers.TryGetValue(negativePart.Inputs[0], out var relu) && relu.Op == TfLiteOp.Relu
            && producers.TryGetValue(relu.Inputs[0], out var inner) && inner.Op == TfLiteOp.Neg)
            factor = 1f;
        else if (negativePart.Op == TfLiteOp.Sub && producers.TryGetValue(negativePart.Inputs[1], out var abs) && abs.Op == TfLiteOp.Abs
                 && abs.Inputs[0] == negativePart.Inputs[0])
            factor = 2f;
        else
            return null;
        return c.Select(v => v * factor).ToArray();
    }

    private static TfLiteTensor Constant(TfLiteModel model, int index)
    {
        var t = model.Tensors[index];
        if (t.Data is not { Length: > 0 }) throw new ModelFormatException($"tensor '{t.Name}' should be a float constant (quantised models are not supported)");
        return t;
    }

    private static void RequireNoFusedActivation(TfLiteOperator op)
    {
        if (op.Options.FusedActivation != 0) throw new ModelFormatException($"{op.Op} with a fused activation ({op.Options.FusedActivation}) is not supported");
        if (op.Options.DilationH != 1 || op.Options.DilationW != 1) throw new ModelFormatException($"dilated {op.Op} is not supported");
    }

    /// <summary>TFLite conv kernels are [out, kh, kw, in].</summary>
    internal static float[] OhwiToOihw(TfLiteTensor t)
    {
        int o = t.Shape[0], kh = t.Shape[1], kw = t.Shape[2], i = t.Shape[3];
        var src = t.Data!;
        var dst = new float[src.Length];
        for (int a = 0; a < o; a++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int b = 0; b < i; b++)
                        dst[((a * i + b) * kh + y) * kw + x] = src[((a * kh + y) * kw + x) * i + b];
        return dst;
    }

    /// <summary>TFLite depthwise kernels are [1, kh, kw, c].</summary>
    internal static float[] DepthwiseToCanonical(TfLiteTensor t)
    {
        int kh = t.Shape[1], kw = t.Shape[2], c = t.Shape[3];
        var src = t.Data!;
        var dst = new float[src.Length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int ch = 0; ch < c; ch++)
                    dst[(ch * kh + y) * kw + x] = src[(y * kw + x) * c + ch];
        return dst;
    }
}
