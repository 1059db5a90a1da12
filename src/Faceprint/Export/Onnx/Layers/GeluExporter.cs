using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Exact GELU → Mul, Erf, Add, Mul in the input's layout.</summary>
public sealed class GeluExporter : OnnxLayerExporter<GeluLayer>
{
    /// <inheritdoc />
    protected override void Export(GeluLayer layer, OnnxExportContext context)
    {
        var layout = context.LayoutOf(layer.Inputs[0]);
        context.SetValue(layer.Output, OnnxComposites.Gelu(context, layer.Name, context.Value(layer.Inputs[0], layout)), layout);
    }
}
