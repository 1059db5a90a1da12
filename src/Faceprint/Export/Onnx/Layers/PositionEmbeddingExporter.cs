using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Learned position table → Add of an [H, W, C] constant to the NHWC tensor.</summary>
public sealed class PositionEmbeddingExporter : OnnxLayerExporter<PositionEmbeddingLayer>
{
    /// <inheritdoc />
    protected override void Export(PositionEmbeddingLayer layer, OnnxExportContext context)
    {
        var s = context.Shape(layer.Inputs[0]);
        string table = context.Constant(layer.Name, [s.H, s.W, s.C], layer.Embedding.ToArray());
        context.SetValue(layer.Output, context.Node("Add", layer.Name + "/add", [context.Value(layer.Inputs[0], OnnxLayout.Nhwc), table]), OnnxLayout.Nhwc);
    }
}
