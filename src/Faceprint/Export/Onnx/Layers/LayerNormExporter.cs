using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>LayerNorm over each token's channels → LayerNormalization on the last axis of the NHWC tensor.</summary>
public sealed class LayerNormExporter : OnnxLayerExporter<LayerNormLayer>
{
    /// <inheritdoc />
    protected override void Export(LayerNormLayer layer, OnnxExportContext context)
    {
        int c = layer.Channels;
        // Without affine the graph still needs a scale and bias input: ones and zeros.
        float[] gamma = layer.Gamma.Count > 0 ? [.. layer.Gamma] : Enumerable.Repeat(1f, c).ToArray();
        float[] beta = layer.Beta.Count > 0 ? [.. layer.Beta] : new float[c];
        string y = context.Node("LayerNormalization", layer.Name,
            [context.Value(layer.Inputs[0], OnnxLayout.Nhwc), context.Constant(layer.Name + ".weight", [c], gamma), context.Constant(layer.Name + ".bias", [c], beta)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", layer.Epsilon));
        context.SetValue(layer.Output, y, OnnxLayout.Nhwc);
    }
}
