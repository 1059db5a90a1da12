using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Depthwise conv → Conv with group = channels plus its fused activation.</summary>
public sealed class DepthwiseConv2dExporter : OnnxLayerExporter<DepthwiseConv2dLayer>
{
    /// <inheritdoc />
    protected override void Export(DepthwiseConv2dLayer layer, OnnxExportContext context)
    {
        int input = layer.Inputs[0], k = layer.Kernel;
        string weight = context.Constant(layer.Name + ".weight", [layer.Channels, 1, k, k], layer.Weight.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [layer.Channels], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [context.Value(input, OnnxLayout.Nchw), weight, bias],
            OnnxAttribute.Int("group", layer.Channels),
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
            OnnxAttribute.Ints("pads", OnnxExportContext.Pads(layer.Padding, context.Shape(input), k, layer.Stride)));
        context.SetValue(layer.Output, context.Activation(layer.Name, y, layer.Activation, OnnxLayout.Nchw, layer.Channels), OnnxLayout.Nchw);
    }
}
