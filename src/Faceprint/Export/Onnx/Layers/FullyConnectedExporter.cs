using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// Fully connected → Gemm (transB) on the input flattened in the engine's h, w, c order (so a conv map is
/// transposed back to NHWC before Flatten, as the imported TFLite weights expect), plus its activation.
/// </summary>
public sealed class FullyConnectedExporter : OnnxLayerExporter<FullyConnectedLayer>
{
    /// <inheritdoc />
    protected override void Export(FullyConnectedLayer layer, OnnxExportContext context)
    {
        string weight = context.Constant(layer.Name + ".weight", [layer.OutFeatures, layer.InFeatures], layer.Weight.ToArray());
        string bias = context.Constant(layer.Name + ".bias", [layer.OutFeatures], layer.Bias.ToArray());
        string y = context.Node("Gemm", layer.Name, [context.Value(layer.Inputs[0], OnnxLayout.Flat), weight, bias], OnnxAttribute.Int("transB", 1));
        context.SetValue(layer.Output, context.Activation(layer.Name, y, layer.Activation, OnnxLayout.Flat, layer.OutFeatures), OnnxLayout.Flat);
    }
}
