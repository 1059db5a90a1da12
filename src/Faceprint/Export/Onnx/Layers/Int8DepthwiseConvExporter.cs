using Faceprint.Core.Graph.Quantization;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// An int8 depthwise conv → the QDQ form: QuantizeLinear/DequantizeLinear on the input with the layer's calibrated scale
/// and zero point (per channel, axis 1, where the layer takes its input per channel), the int8 kernel through a per-channel DequantizeLinear, then Conv (group = channels) with the float
/// bias and the fused activation. Codes a producer writes for this layer are the same QuantizeLinear of its float output,
/// so the input's QDQ pair describes them exactly.
/// </summary>
public sealed class Int8DepthwiseConvExporter : OnnxLayerExporter<Int8DepthwiseConvLayer>
{
    /// <inheritdoc />
    protected override void Export(Int8DepthwiseConvLayer layer, OnnxExportContext context)
    {
        var w = layer.Weights;
        int input = layer.Inputs[0], k = layer.Kernel, c = w.Channels;
        string x = context.Value(input, OnnxLayout.Nchw);
        string dq = w.InputChannels is { } channels ? OnnxQdq.QuantizeDequantize(context, layer.Name, x, channels)
            : OnnxQdq.QuantizeDequantize(context, layer.Name, x, w.Input);
        string weight = OnnxQdq.DequantizeWeight(context, layer.Name, [c, 1, k, k], w.Codes.ToArray(), w.WeightScales.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [c], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [dq, weight, bias],
            OnnxAttribute.Int("group", c),
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
            OnnxAttribute.Ints("pads", OnnxExportContext.Pads(layer.Padding, context.Shape(input), k, layer.Stride)));
        context.SetValue(layer.Output, context.Activation(layer.Name, y, w.Activation, OnnxLayout.Nchw, c), OnnxLayout.Nchw);
    }
}
