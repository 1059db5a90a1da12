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
        context.SetValue(layer.Output, context.Activation(layer.Name, y, layer.Activation, OnnxLayout.Nchw, layer.OutChannels), OnnxLayout.Nchw);
    }
}
