using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;

namespace Faceprint.Models.MobileFaceNet;

/// <summary>
/// The MobileFaceNet family written once: stem conv 3×3 s2, depthwise 3×3, inverted-residual stages,
/// 1×1 to the final width, GDConv (depthwise over the whole map), linear 1×1 to the embedding. Weights are
/// in deploy form (BatchNorm already folded into conv biases).
/// </summary>
public static class MobileFaceNetDefinition
{
    /// <summary>Family name in model files.</summary>
    public const string Family = "mobilefacenet";

    /// <summary>Parameters in the order the network consumes them.</summary>
    public static IEnumerable<ParameterSpec> Parameters(MobileFaceNetConfig c)
    {
        var specs = new List<ParameterSpec>();
        specs.AddRange(LayerSpecs.Conv("stem", 3, c.StemChannels, 3, prelu: true));
        specs.AddRange(LayerSpecs.Depthwise("stem_dw", c.StemChannels, 3, prelu: true));
        if (c.StemPointwise) specs.AddRange(LayerSpecs.Conv("stem_pw", c.StemChannels, c.StemChannels, 1, prelu: false));
        int channels = c.StemChannels, block = 0;
        foreach (var stage in c.Stages)
            for (int i = 0; i < stage.Blocks; i++, block++)
            {
                int hidden = channels * stage.Expansion;
                specs.AddRange(LayerSpecs.Conv($"blocks.{block}.expand", channels, hidden, 1, prelu: true));
                specs.AddRange(LayerSpecs.Depthwise($"blocks.{block}.dw", hidden, 3, prelu: true));
                specs.AddRange(LayerSpecs.Conv($"blocks.{block}.project", hidden, stage.Channels, 1, prelu: false));
                channels = stage.Channels;
            }
        specs.AddRange(LayerSpecs.Conv("final", channels, c.FinalChannels, 1, prelu: true));
        specs.AddRange(LayerSpecs.Depthwise("gdconv", c.FinalChannels, c.GdKernel, prelu: false));
        if (c.GdPointwise) specs.AddRange(LayerSpecs.Conv("gd_pw", c.FinalChannels, c.FinalChannels, 1, prelu: false));
        specs.AddRange(LayerSpecs.Conv("embed", c.FinalChannels, c.EmbeddingSize, 1, prelu: false));
        return specs;
    }

    /// <summary>Builds the inference graph; input N×112×112×3, output N×1×1×embedding (not normalised).</summary>
    public static Network Build(MobileFaceNetConfig c, WeightSet weights)
    {
        weights.Validate(Parameters(c), "MobileFaceNet");
        var builder = new NetworkBuilder();
        var f = new LayerFactory(builder, weights);
        Padding pad3 = c.TfSamePadding ? Padding.Same : Padding.Symmetric(1);
        int x = f.Conv("stem", NetworkBuilder.Input, 3, 3, 2, pad3, prelu: true);
        x = f.Depthwise("stem_dw", x, 3, 1, pad3, prelu: true);
        if (c.StemPointwise) x = f.Conv("stem_pw", x, c.StemChannels, 1, 1, Padding.Valid, prelu: false);
        int channels = c.StemChannels, block = 0;
        foreach (var stage in c.Stages)
            for (int i = 0; i < stage.Blocks; i++, block++)
            {
                int stride = i == 0 ? stage.Stride : 1;
                int hidden = channels * stage.Expansion;
                int h = f.Conv($"blocks.{block}.expand", x, channels, 1, 1, Padding.Valid, prelu: true);
                h = f.Depthwise($"blocks.{block}.dw", h, 3, stride, pad3, prelu: true);
                h = f.Conv($"blocks.{block}.project", h, hidden, 1, 1, Padding.Valid, prelu: false);
                x = stride == 1 && channels == stage.Channels ? f.Add($"blocks.{block}.residual", x, h) : h;
                channels = stage.Channels;
            }
        x = f.Conv("final", x, channels, 1, 1, Padding.Valid, prelu: true);
        x = f.Depthwise("gdconv", x, c.GdKernel, 1, Padding.Valid, prelu: false);
        if (c.GdPointwise) x = f.Conv("gd_pw", x, c.FinalChannels, 1, 1, Padding.Valid, prelu: false);
        x = f.Conv("embed", x, c.FinalChannels, 1, 1, Padding.Valid, prelu: false);
        return builder.Build("MobileFaceNet", 3, x);
    }
}
