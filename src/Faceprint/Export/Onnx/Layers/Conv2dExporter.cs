using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Dense conv → Conv (NCHW, explicit pads) plus its fused activation.</summary>
public sealed class Conv2dExporter : OnnxLayerExporter<Conv2dLayer>
{
    /// <inheritdoc />
    protected override void Export(Conv2dLayer layer, OnnxExportContext context)
    {
        int input = layer.Inputs[0], k = layer.Kernel;
        string weight = context.Constant(layer.Name + ".weight", [layer.OutChannels, layer.InChannels, k, k], layer.Weight.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [layer.OutChannels], layer.Bias.ToArray());
        string y = context.Node("Conv", layer.Name, [context.Value(input, OnnxLayout.Nchw), weight, bias],
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
            OnnxAttribute.Ints("pads", OnnxExportContext.Pads(layer.Padding, context.Shape(input), k, layer.Stride)));
        y = context.Activation(layer.Name, y, layer.Activation, OnnxLayout.Nchw, layer.OutChannels);
        // Optimised graphs (an int8 network keeps its fp32 convs in that form) fold the residual add into the conv.
        if (layer.Residual is int residual) y = context.Node("Add", layer.Name + "/residual", [y, context.Value(residual, OnnxLayout.Nchw)]);
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }
}
