namespace Faceprint.Export.Onnx.Layers;

/// <summary>Node patterns several exporters share: opset 17 has neither Gelu nor GroupNormalization.</summary>
internal static class OnnxComposites
{
    /// <summary>Exact GELU, ½·x·(1 + erf(x/√2)), with ONNX's Erf.</summary>
    public static string Gelu(OnnxExportContext context, string name, string x)
    {
        string scaled = context.Node("Mul", name + "/scaled", [x, Scalar(context, name + ".inv_sqrt2", (float)(1 / Math.Sqrt(2)))]);
        string erf = context.Node("Erf", name + "/erf", [scaled]);
        string onePlus = context.Node("Add", name + "/one_plus", [erf, Scalar(context, name + ".one", 1f)]);
        string half = context.Node("Mul", name + "/half", [x, Scalar(context, name + ".half", 0.5f)]);
        return context.Node("Mul", name, [half, onePlus]);
    }

    /// <summary>
    /// y = x·scale[c] + shift[c] broadcast over the channel axis of <paramref name="layout"/>; a flattened map has no
    /// single channel axis, so the caller passes its NCHW or NHWC form.
    /// </summary>
    public static string ChannelAffine(OnnxExportContext context, string name, string x, OnnxLayout layout, IReadOnlyList<float> scale,
        IReadOnlyList<float> shift)
    {
        long c = scale.Count;
        long[] dims = layout == OnnxLayout.Nchw ? [c, 1, 1] : [c];
        string mul = context.Node("Mul", name + "/scale", [x, context.Constant(name + ".scale", dims, scale.ToArray())]);
        return context.Node("Add", name, [mul, context.Constant(name + ".shift", dims, shift.ToArray())]);
    }

    /// <summary>The layout a per-channel step should work in: the producer's, unless that is a flattened map.</summary>
    public static OnnxLayout ChannelLayout(OnnxExportContext context, int value)
    {
        var layout = context.LayoutOf(value);
        var s = context.Shape(value);
        return layout == OnnxLayout.Flat && s.PerImage != s.C ? OnnxLayout.Nchw : layout;
    }

    /// <summary>A reshape to <paramref name="shape"/> (0 keeps the batch dimension).</summary>
    public static string Reshape(OnnxExportContext context, string name, string x, params long[] shape) =>
        context.Node("Reshape", name, [x, context.Constant(name + ".shape", [shape.Length], shape)]);

    /// <summary>A one-element fp32 constant (broadcasts everywhere).</summary>
    public static string Scalar(OnnxExportContext context, string name, float value) => context.Constant(name, [1], [value]);
}
