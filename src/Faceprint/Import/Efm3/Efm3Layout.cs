using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Import.Efm3;

/// <summary>
/// The convs of an EFM3 file in file order (SPEC §3): stem, stem depthwise, per block expand / depthwise /
/// project, final 1×1, GDConv, embedding 1×1. Names are <see cref="MobileFaceNetDefinition"/>'s parameter prefixes.
/// </summary>
public static class Efm3Layout
{
    /// <summary>The convs a config implies, in the order their tensors appear in the file.</summary>
    public static IReadOnlyList<Efm3ConvSpec> Convs(MobileFaceNetConfig config)
    {
        var convs = new List<Efm3ConvSpec>
        {
            new("stem", config.StemChannels, 3, 3, true),
            new("stem_dw", config.StemChannels, 1, 3, true),
        };
        int channels = config.StemChannels, block = 0;
        foreach (var stage in config.Stages)
            for (int i = 0; i < stage.Blocks; i++, block++)
            {
                int hidden = channels * stage.Expansion;
                convs.Add(new($"blocks.{block}.expand", hidden, channels, 1, true));
                convs.Add(new($"blocks.{block}.dw", hidden, 1, 3, true));
                convs.Add(new($"blocks.{block}.project", stage.Channels, hidden, 1, false));
                channels = stage.Channels;
            }
        convs.Add(new("final", config.FinalChannels, channels, 1, true));
        convs.Add(new("gdconv", config.FinalChannels, 1, config.GdKernel, false));
        convs.Add(new("embed", config.EmbeddingSize, config.FinalChannels, 1, false));
        return convs;
    }

    /// <summary>Tensors in the file for these convs (283 for the paper's stage table).</summary>
    public static int TensorCount(IReadOnlyList<Efm3ConvSpec> convs) => convs.Sum(c => c.TensorCount);
}
