using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// FaceLiVT's MHLA body → [N, C, T] split into [N, heads, C/heads, T]; batched MatMul with the per-head weights
/// stacked as [heads, T, hidden] and [heads, hidden, T]; GELU between; then [N, C/heads, heads, T] reshaped to
/// [N, C, H, W], which is exactly the reference's channel interleave (head h, channel j → channel j·heads + h).
/// </summary>
public sealed class TokenMixingExporter : OnnxLayerExporter<TokenMixingLayer>
{
    /// <inheritdoc />
    protected override void Export(TokenMixingLayer layer, OnnxExportContext context)
    {
        var s = context.Shape(layer.Inputs[0]);
        int heads = layer.Heads, tokens = layer.Tokens, hidden = layer.Hidden, perHead = layer.Channels / heads;
        string name = layer.Name;
        string x = OnnxComposites.Reshape(context, name + "/heads", context.Value(layer.Inputs[0], OnnxLayout.Nchw), 0, heads, perHead, tokens);
        string w1 = context.Constant(name + ".linear1.weight", [heads, tokens, hidden], Transposed(layer.Weight1, hidden, tokens));
        string b1 = context.Constant(name + ".linear1.bias", [heads, 1, hidden], layer.Bias1.SelectMany(b => b).ToArray());
        string w2 = context.Constant(name + ".linear2.weight", [heads, hidden, tokens], Transposed(layer.Weight2, tokens, hidden));
        string b2 = context.Constant(name + ".linear2.bias", [heads, 1, tokens], layer.Bias2.SelectMany(b => b).ToArray());
        string h = context.Node("Add", name + "/linear1", [context.Node("MatMul", name + "/linear1_mm", [x, w1]), b1]);
        h = OnnxComposites.Gelu(context, name + "/act", h);
        string y = context.Node("Add", name + "/linear2", [context.Node("MatMul", name + "/linear2_mm", [h, w2]), b2]);
        string interleaved = context.Node("Transpose", name + "/interleave", [y], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        context.SetValue(layer.Output, OnnxComposites.Reshape(context, name, interleaved, 0, layer.Channels, s.H, s.W), OnnxLayout.Nchw);
    }

    /// <summary>Per-head [rows, cols] PyTorch weights as one [heads, cols, rows] block (x·Wᵀ as a MatMul).</summary>
    private static float[] Transposed(IReadOnlyList<float[]> weights, int rows, int cols)
    {
        var result = new float[weights.Count * rows * cols];
        for (int h = 0; h < weights.Count; h++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) result[(h * cols + c) * rows + r] = weights[h][r * cols + c];
        return result;
    }
}
