using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// Softmax attention → tokens as [N, T, C]; q, k and v of all heads gathered by channel index (so any
/// <see cref="Core.Kernels.AttentionLayout"/> works) and split into heads; MatMul, scale, Softmax, MatMul; heads
/// concatenated back onto the channels of an NHWC tensor.
/// </summary>
public sealed class MultiHeadAttentionExporter : OnnxLayerExporter<MultiHeadAttentionLayer>
{
    /// <inheritdoc />
    protected override void Export(MultiHeadAttentionLayer layer, OnnxExportContext context)
    {
        var s = context.Shape(layer.Inputs[0]);
        var l = layer.Layout;
        long tokens = s.H * s.W;
        string name = layer.Name;
        string x = OnnxComposites.Reshape(context, name + "/tokens", context.Value(layer.Inputs[0], OnnxLayout.Nhwc), 0, tokens, l.Channels);

        // [N, T, heads·width] gathered in (head, channel) order, then [N, heads, T, width] (k: [N, heads, width, T]).
        string Part(string part, int offset, int width, long[] perm)
        {
            var indices = new long[l.Heads * width];
            for (int h = 0; h < l.Heads; h++)
                for (int d = 0; d < width; d++) indices[h * width + d] = offset + h * l.HeadStride + d;
            string gathered = context.Node("Gather", $"{name}/{part}", [x, context.Constant($"{name}.{part}_channels", [indices.Length], indices)],
                OnnxAttribute.Int("axis", 2));
            string split = OnnxComposites.Reshape(context, $"{name}/{part}_heads", gathered, 0, tokens, l.Heads, width);
            return context.Node("Transpose", $"{name}/{part}_t", [split], OnnxAttribute.Ints("perm", perm));
        }

        string q = Part("q", l.QueryOffset, l.KeyDim, [0, 2, 1, 3]);
        string k = Part("k", l.KeyOffset, l.KeyDim, [0, 2, 3, 1]);
        string v = Part("v", l.ValueOffset, l.ValueDim, [0, 2, 1, 3]);
        string scores = context.Node("MatMul", name + "/scores", [q, k]);
        scores = context.Node("Mul", name + "/scaled", [scores, OnnxComposites.Scalar(context, name + ".scale", 1f / MathF.Sqrt(l.KeyDim))]);
        string weights = context.Node("Softmax", name + "/softmax", [scores], OnnxAttribute.Int("axis", -1));
        string attended = context.Node("MatMul", name + "/attended", [weights, v]);
        string merged = context.Node("Transpose", name + "/merged", [attended], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        context.SetValue(layer.Output, OnnxComposites.Reshape(context, name, merged, 0, s.H, s.W, l.OutputChannels), OnnxLayout.Nhwc);
    }
}
