using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>ReLU6 → Clip(0, 6) in the input's layout.</summary>
public sealed class Relu6Exporter : OnnxLayerExporter<Relu6Layer>
{
    /// <inheritdoc />
    protected override void Export(Relu6Layer layer, OnnxExportContext context)
    {
        var layout = context.LayoutOf(layer.Inputs[0]);
        // Clip takes min and max as scalar (rank-0) inputs since opset 11.
        string min = context.Constant(layer.Name + ".min", [], [0f]);
        string max = context.Constant(layer.Name + ".max", [], [6f]);
        context.SetValue(layer.Output, context.Node("Clip", layer.Name, [context.Value(layer.Inputs[0], layout), min, max]), layout);
    }
}
