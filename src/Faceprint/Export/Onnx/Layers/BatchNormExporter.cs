using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>Inference BatchNorm (train-form graphs) → Mul and Add with its folded per-channel scale and shift.</summary>
public sealed class BatchNormExporter : OnnxLayerExporter<BatchNormLayer>
{
    /// <inheritdoc />
    protected override void Export(BatchNormLayer layer, OnnxExportContext context)
    {
        var layout = OnnxComposites.ChannelLayout(context, layer.Inputs[0]);
        string y = OnnxComposites.ChannelAffine(context, layer.Name, context.Value(layer.Inputs[0], layout), layout, layer.Scale, layer.Shift);
        context.SetValue(layer.Output, y, layout);
    }
}
