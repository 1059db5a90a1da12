using Faceprint.Core.Tensors;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Import.Efm3;

/// <summary>
/// The 80-byte architecture header of a FaceX "EFM3" weight file (SPEC §3): stem, channel widths, embedding
/// size, GDConv kernel and up to eight (t, n, s) stages. Stage 1 outputs the stem width, later stages the
/// block width, as in FaceX's width scaling.
/// </summary>
public sealed record Efm3Header
{
    /// <summary>The only header version this reader knows.</summary>
    public const int Version = 1;

    /// <summary>Stage slots in the table; unused ones must be zero.</summary>
    public const int StageSlots = 8;

    /// <summary>Stem conv kernel (3).</summary>
    public int StemKernel { get; init; } = 3;

    /// <summary>Stem conv stride (2).</summary>
    public int StemStride { get; init; } = 2;

    /// <summary>Stem, stem depthwise and stage-1 output channels.</summary>
    public int StemChannels { get; init; }

    /// <summary>Output channels of every stage after the first.</summary>
    public int BlockChannels { get; init; }

    /// <summary>Channels of the final 1×1 conv (and GDConv).</summary>
    public int FinalChannels { get; init; }

    /// <summary>Embedding length.</summary>
    public int EmbeddingSize { get; init; }

    /// <summary>GDConv kernel (7: the whole final map at 112² input).</summary>
    public int GdKernel { get; init; } = 7;

    /// <summary>Used stages in order.</summary>
    public IReadOnlyList<Efm3Stage> Stages { get; init; } = [];

    /// <summary>
    /// The <see cref="MobileFaceNetConfig"/> this header describes. Throws <see cref="ModelFormatException"/>
    /// for a header the definition cannot run (another stem, or a GDConv that does not cover the final map).
    /// </summary>
    public MobileFaceNetConfig ToConfig()
    {
        if (StemKernel != 3 || StemStride != 2)
            throw new ModelFormatException($"EFM3 header: stem {StemKernel}x{StemKernel} stride {StemStride} is not supported (MobileFaceNet's stem is 3x3 stride 2)");
        if (Stages.Count == 0) throw new ModelFormatException("EFM3 header: no stages");
        if (StemChannels <= 0 || BlockChannels <= 0 || FinalChannels <= 0 || EmbeddingSize <= 0)
            throw new ModelFormatException($"EFM3 header: channel counts must be positive (stem {StemChannels}, block {BlockChannels}, final {FinalChannels}, embedding {EmbeddingSize})");
        var config = new MobileFaceNetConfig
        {
            StemChannels = StemChannels,
            Stages = Stages.Select((s, i) => new MobileFaceNetStage(s.Expansion, s.Blocks, s.Stride, i == 0 ? StemChannels : BlockChannels)).ToList(),
            FinalChannels = FinalChannels,
            EmbeddingSize = EmbeddingSize,
            GdKernel = GdKernel,
        };
        int side = FinalMapSide(config);
        if (GdKernel != side)
            throw new ModelFormatException($"EFM3 header: GDConv kernel {GdKernel} does not cover the {side}x{side} final map of a {config.InputSize}x{config.InputSize} input");
        return config;
    }

    /// <summary>The header of a config; throws <see cref="ArgumentException"/> for one EFM3 cannot describe.</summary>
    public static Efm3Header FromConfig(MobileFaceNetConfig config)
    {
        var problems = new List<string>();
        if (config.StemPointwise || config.GdPointwise) problems.Add("it has the extra 1x1 convs of the TFLite export");
        if (config.TfSamePadding) problems.Add("it uses TensorFlow SAME padding (EFM3 pads symmetrically)");
        if (config.InputSize != 112) problems.Add($"its input is {config.InputSize}x{config.InputSize}, EFM3 is fixed at 112x112");
        if (config.Stages.Count is 0 or > StageSlots) problems.Add($"it has {config.Stages.Count} stages (1 to {StageSlots} fit)");
        else
        {
            if (config.Stages[0].Channels != config.StemChannels) problems.Add("its first stage's width differs from the stem's");
            if (config.Stages.Skip(1).Select(s => s.Channels).Distinct().Count() > 1) problems.Add("its later stages differ in width");
        }
        if (problems.Count > 0) throw new ArgumentException("EFM3 cannot describe this MobileFaceNet: " + string.Join("; ", problems));
        return new Efm3Header
        {
            StemChannels = config.StemChannels,
            BlockChannels = config.Stages.Count > 1 ? config.Stages[1].Channels : config.StemChannels,
            FinalChannels = config.FinalChannels,
            EmbeddingSize = config.EmbeddingSize,
            GdKernel = config.GdKernel,
            Stages = config.Stages.Select(s => new Efm3Stage(s.Expansion, s.Blocks, s.Stride)).ToList(),
        };
    }

    /// <summary>
    /// Side of the last feature map: the stem and each stage's first block stride with symmetric padding 1, each
    /// sized (H + 2·pad − k)/stride + 1 — FaceX's C engine leaves the padding out for the stem (55, not 56; SPEC §3).
    /// </summary>
    private static int FinalMapSide(MobileFaceNetConfig config)
    {
        var pad = Padding.Symmetric(1);
        int side = pad.Resolve(config.InputSize, 3, 2).Output;
        foreach (var stage in config.Stages) side = pad.Resolve(side, 3, stage.Stride).Output;
        return side;
    }
}
