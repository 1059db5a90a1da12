using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Max pooling → MaxPool (NCHW; ONNX pads never win a max, like the engine's skipped border).</summary>
public sealed class MaxPool2dExporter : OnnxLayerExporter<MaxPool2dLayer>
{
    /// <inheritdoc />
    protected override void Export(MaxPool2dLayer layer, OnnxExportContext context)
    {
        int input = layer.Inputs[0], k = layer.Kernel;
        string y = context.Node("MaxPool", layer.Name, [context.Value(input, OnnxLayout.Nchw)],
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
            OnnxAttribute.Ints("pads", OnnxExportContext.Pads(layer.Padding, context.Shape(input), k, layer.Stride)));
        context.SetValue(layer.Output, y, OnnxLayout.Nchw);
    }
}
