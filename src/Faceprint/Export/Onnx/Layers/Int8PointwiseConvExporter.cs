using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// An int8 1×1 conv → the QDQ form ONNX Runtime fuses into integer kernels: QuantizeLinear/DequantizeLinear on the input
/// with the layer's calibrated scale and zero point, the int8 weights through a per-output-channel DequantizeLinear,
/// then Conv with the float bias, the fused activation and the residual add.
/// </summary>
public sealed class Int8PointwiseConvExporter : OnnxLayerExporter<Int8PointwiseConvLayer>
{
    /// <inheritdoc />
    protected override void Export(Int8PointwiseConvLayer layer, OnnxExportContext context)
    {
        var w = layer.Weights;
        string y = QdqConv(context, layer.Name, layer.Inputs[0], w, w.Codes.ToArray(), [w.N, w.K, 1, 1], layer.Bias, OnnxAttribute.Ints("kernel_shape", 1, 1));
        if (layer.Residual is int residual) y = context.Node("Add", layer.Name + "/residual", [y, context.Value(residual, OnnxLayout.Nchw)]);
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }

    /// <summary>The QDQ conv of an int8 layer (codes in ONNX's [cout, cin, kh, kw] order) with its activation; returns its output.</summary>
    internal static string QdqConv(OnnxExportContext context, string name, int input, Int8GemmWeights w, sbyte[] codes, long[] shape,
        IReadOnlyList<float> bias, params OnnxAttribute[] attributes)
    {
        string scale = context.Constant(name + ".input_scale", [], [w.Input.Scale]);
        string zero = context.Constant(name + ".input_zero_point", n => OnnxTensor.UInt8(n, [], [(byte)w.Input.ZeroPoint]));
        string x = context.Value(input, OnnxLayout.Nchw);
        string q = context.Node("QuantizeLinear", name + "/quantize", [x, scale, zero]);
        string dq = context.Node("DequantizeLinear", name + "/dequantize", [q, scale, zero]);
        string weightCodes = context.Constant(name + ".weight_int8", n => OnnxTensor.Int8(n, shape, codes));
        string weightScales = context.Constant(name + ".weight_scale", [w.N], w.WeightScales.ToArray());
        string weightZeros = context.Constant(name + ".weight_zero_point", n => OnnxTensor.Int8(n, [w.N], new sbyte[w.N]));
        string weight = context.Node("DequantizeLinear", name + "/dequantize_weight", [weightCodes, weightScales, weightZeros], OnnxAttribute.Int("axis", 0));
        string b = context.Constant(name + ".bias", [w.N], bias.ToArray());
        string y = context.Node("Conv", name, [dq, weight, b], attributes);
        return context.Activation(name, y, w.Activation, OnnxLayout.Nchw, w.N);
    }
}
