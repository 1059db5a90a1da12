using Faceprint.Core.Graph.Quantization;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// An int8 1×1 conv → the QDQ form ONNX Runtime fuses into integer kernels: QuantizeLinear/DequantizeLinear on the input
/// with the layer's calibrated scale and zero point, the int8 weights through a per-output-channel DequantizeLinear,
/// then Conv with the float bias, the fused activation and the residual add. Codes an int8 producer writes for this
/// layer are the same QuantizeLinear of its float output, so the input's QDQ pair describes them exactly.
/// </summary>
public sealed class Int8PointwiseConvExporter : OnnxLayerExporter<Int8PointwiseConvLayer>
{
    /// <inheritdoc />
    protected override void Export(Int8PointwiseConvLayer layer, OnnxExportContext context)
    {
        var w = layer.Weights;
        string dq = OnnxQdq.QuantizeDequantize(context, layer.Name, context.Value(layer.Inputs[0], OnnxLayout.Nchw), w.Input);
        string weight = OnnxQdq.DequantizeWeight(context, layer.Name, [w.N, w.K, 1, 1], w.Codes.ToArray(), w.WeightScales.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [w.N], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [dq, weight, bias], OnnxAttribute.Ints("kernel_shape", 1, 1));
        y = context.Activation(layer.Name, y, w.Activation, OnnxLayout.Nchw, w.N);
        if (layer.Residual is int residual) y = context.Node("Add", layer.Name + "/residual", [y, context.Value(residual, OnnxLayout.Nchw)]);
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }
}
