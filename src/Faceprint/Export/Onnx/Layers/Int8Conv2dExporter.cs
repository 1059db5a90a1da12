using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// An int8 k×k conv → the same QDQ pattern as <see cref="Int8PointwiseConvExporter"/> (QuantizeLinear/DequantizeLinear on
/// the input, per-output-channel DequantizeLinear on the int8 weights, then Conv) with the layer's kernel, stride and
/// padding; the weight codes go back to ONNX's [cout, cin, k, k] order.
/// </summary>
public sealed class Int8Conv2dExporter : OnnxLayerExporter<Int8Conv2dLayer>
{
    /// <inheritdoc />
    protected override void Export(Int8Conv2dLayer layer, OnnxExportContext context)
    {
        var w = layer.Weights;
        int k = layer.Kernel, input = layer.Inputs[0];
        var codes = Int8Conv.ToKernelOrder<sbyte>(w.Codes.ToArray(), w.N, layer.InChannels, k, k);
        string dq = OnnxQdq.QuantizeDequantize(context, layer.Name, context.Value(input, OnnxLayout.Nchw), w.Input);
        string weight = OnnxQdq.DequantizeWeight(context, layer.Name, [w.N, layer.InChannels, k, k], codes, w.WeightScales.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [w.N], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [dq, weight, bias],
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
            OnnxAttribute.Ints("pads", OnnxExportContext.Pads(layer.Padding, context.Shape(input), k, layer.Stride)));
        y = context.Activation(layer.Name, y, w.Activation, OnnxLayout.Nchw, w.N);
        if (layer.Residual is int residual) y = context.Node("Add", layer.Name + "/residual", [y, context.Value(residual, OnnxLayout.Nchw)]);
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }
}
