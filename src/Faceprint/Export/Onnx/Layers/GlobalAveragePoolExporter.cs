using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Mean over positions → GlobalAveragePool on NCHW.</summary>
public sealed class GlobalAveragePoolExporter : OnnxLayerExporter<GlobalAveragePoolLayer>
{
    /// <inheritdoc />
    protected override void Export(GlobalAveragePoolLayer layer, OnnxExportContext context) =>
        context.SetValue(layer.Output, context.Node("GlobalAveragePool", layer.Name, [context.Value(layer.Inputs[0], OnnxLayout.Nchw)]), OnnxLayout.Nchw);
}
