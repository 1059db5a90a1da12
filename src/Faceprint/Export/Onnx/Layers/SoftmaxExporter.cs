using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Softmax over channels → Softmax on the channel axis of whatever layout the input is in.</summary>
public sealed class SoftmaxExporter : OnnxLayerExporter<SoftmaxLayer>
{
    /// <inheritdoc />
    protected override void Export(SoftmaxLayer layer, OnnxExportContext context)
    {
        var layout = context.LayoutOf(layer.Inputs[0]);
        if (layout == OnnxLayout.Flat && context.Shape(layer.Inputs[0]).PerImage != context.Shape(layer.Inputs[0]).C)
            layout = OnnxLayout.Nchw; // a flattened map has no single channel axis
        int axis = layout == OnnxLayout.Nhwc ? 3 : 1;
        string y = context.Node("Softmax", layer.Name, [context.Value(layer.Inputs[0], layout)], OnnxAttribute.Int("axis", axis));
        context.SetValue(layer.Output, y, layout);
    }
}
