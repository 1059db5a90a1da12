using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx.Layers;

/// <summary>
/// GroupNorm → (opset 17 has no GroupNormalization) NCHW reshaped to [N, groups, rest], LayerNormalization over the
/// last axis without affine, reshaped back, then the per-channel affine.
/// </summary>
public sealed class GroupNormExporter : OnnxLayerExporter<GroupNormLayer>
{
    /// <inheritdoc />
    protected override void Export(GroupNormLayer layer, OnnxExportContext context)
    {
        var s = context.Shape(layer.Inputs[0]);
        long rest = (long)s.PerImage / layer.Groups;
        string grouped = OnnxComposites.Reshape(context, layer.Name + "/grouped", context.Value(layer.Inputs[0], OnnxLayout.Nchw), 0, layer.Groups, rest);
        string normed = context.Node("LayerNormalization", layer.Name + "/normalized",
            [grouped, context.Constant(layer.Name + ".ones", [rest], Enumerable.Repeat(1f, (int)rest).ToArray()),
                context.Constant(layer.Name + ".zeros", [rest], new float[rest])],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", layer.Epsilon));
        string map = OnnxComposites.Reshape(context, layer.Name + "/map", normed, 0, s.C, s.H, s.W);
        context.SetValue(layer.Output, OnnxComposites.ChannelAffine(context, layer.Name, map, OnnxLayout.Nchw, layer.Gamma, layer.Beta), OnnxLayout.Nchw);
    }
}
