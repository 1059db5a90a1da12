using Faceprint.Core.Graph.Quantization;

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
        string scale = context.Constant(layer.Name + ".input_scale", [], [w.Input.Scale]);
        string zero = context.Constant(layer.Name + ".input_zero_point", n => OnnxTensor.UInt8(n, [], [(byte)w.Input.ZeroPoint]));
        string x = context.Value(layer.Inputs[0], OnnxLayout.Nchw);
        string q = context.Node("QuantizeLinear", layer.Name + "/quantize", [x, scale, zero]);
        string dq = context.Node("DequantizeLinear", layer.Name + "/dequantize", [q, scale, zero]);
        string codes = context.Constant(layer.Name + ".weight_int8", n => OnnxTensor.Int8(n, [w.N, w.K, 1, 1], w.Codes.ToArray()));
        string weightScales = context.Constant(layer.Name + ".weight_scale", [w.N], w.WeightScales.ToArray());
        string weightZeros = context.Constant(layer.Name + ".weight_zero_point", n => OnnxTensor.Int8(n, [w.N], new sbyte[w.N]));
        string weight = context.Node("DequantizeLinear", layer.Name + "/dequantize_weight", [codes, weightScales, weightZeros], OnnxAttribute.Int("axis", 0));
        string bias = context.Constant(layer.Name + ".bias", [w.N], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [dq, weight, bias], OnnxAttribute.Ints("kernel_shape", 1, 1));
        y = context.Activation(layer.Name, y, w.Activation, OnnxLayout.Nchw, w.N);
        if (layer.Residual is int residual) y = context.Node("Add", layer.Name + "/residual", [y, context.Value(residual, OnnxLayout.Nchw)]);
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }
}
