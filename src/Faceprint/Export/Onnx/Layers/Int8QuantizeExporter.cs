using Faceprint.Core.Graph.Quantization;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// A float → codes step → nothing of its own: the int8 layer reading the codes quantizes (QuantizeLinear/DequantizeLinear)
/// its input with the same parameters, so the value passes through and the graph keeps one QDQ pair per quantized input.
/// </summary>
public sealed class Int8QuantizeExporter : OnnxLayerExporter<Int8QuantizeLayer>
{
    /// <inheritdoc />
    protected override void Export(Int8QuantizeLayer layer, OnnxExportContext context)
    {
        var layout = context.LayoutOf(layer.Inputs[0]);
        context.SetValue(layer.Output, context.Value(layer.Inputs[0], layout), layout);
    }
}
