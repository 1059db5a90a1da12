using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Residual sum → Add, in the first operand's layout.</summary>
public sealed class AddExporter : OnnxLayerExporter<AddLayer>
{
    /// <inheritdoc />
    protected override void Export(AddLayer layer, OnnxExportContext context)
    {
        var layout = context.LayoutOf(layer.Inputs[0]);
        string y = context.Node("Add", layer.Name, [context.Value(layer.Inputs[0], layout), context.Value(layer.Inputs[1], layout)]);
        context.SetValue(layer.Output, y, layout);
    }
}
