using System.Text.Json.Serialization;

namespace Faceprint.Models.FaceLiVT;

/// <summary>
/// Every FaceLiVT variant as data, with the defaults of the reference <c>FaceLiVT</c> constructor: a stem of
/// ⌈√patch⌉ RepConv 3×3 s2, four stages of (token mixer, FFN) blocks joined by PatchMerging, global average pool,
/// BatchNorm1d and Linear to the embedding.
/// </summary>
public sealed record FaceLiVTConfig
{
    /// <summary>Input side in pixels (112).</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 112;

    /// <summary>Stem downsampling; the stem has ⌈√patch⌉ stride-2 RepConvs.</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 4;

    /// <summary>Channels of each stage.</summary>
    [JsonPropertyName("dims")] public IReadOnlyList<int> Dims { get; init; } = [];

    /// <summary>Blocks in each stage.</summary>
    [JsonPropertyName("depths")] public IReadOnlyList<int> Depths { get; init; } = [];

    /// <summary>Token mixer of each stage.</summary>
    [JsonPropertyName("mixers")] public IReadOnlyList<TokenMixer> Mixers { get; init; } = [];

    /// <summary>FFN hidden width over the block width (PatchMerging's FFN always uses 2).</summary>
    [JsonPropertyName("mlp_ratio")] public int MlpRatio { get; init; } = 3;

    /// <summary>Kernel of PatchMerging's depthwise RepConv (<c>ks_pe</c>).</summary>
    [JsonPropertyName("merge_kernel")] public int MergeKernel { get; init; } = 3;

    /// <summary>Embedding dimension (the head Linear's width, <c>num_classes</c>).</summary>
    [JsonPropertyName("embedding_size")] public int EmbeddingSize { get; init; } = 512;

    /// <summary>MHLA heads (channel blocks).</summary>
    [JsonPropertyName("mhla_heads")] public int MhlaHeads { get; init; } = 16;

    /// <summary>MHLA hidden token width over the token count.</summary>
    [JsonPropertyName("mhla_expansion")] public int MhlaExpansion { get; init; } = 4;

    /// <summary>MHSA heads.</summary>
    [JsonPropertyName("mhsa_heads")] public int MhsaHeads { get; init; } = 6;

    /// <summary>MHSA query/key width per head.</summary>
    [JsonPropertyName("mhsa_key_dim")] public int MhsaKeyDim { get; init; } = 32;

    /// <summary>MHSA value width per head over the stage width (value width = ⌊C·ratio⌋).</summary>
    [JsonPropertyName("mhsa_value_ratio")] public double MhsaValueRatio { get; init; } = 0.5;

    /// <summary>FaceLiVT-S widths.</summary>
    public static readonly IReadOnlyList<int> SmallDims = [40, 80, 160, 320];

    /// <summary>FaceLiVT-M widths.</summary>
    public static readonly IReadOnlyList<int> MediumDims = [64, 128, 256, 512];

    /// <summary>FaceLiVT-L widths.</summary>
    public static readonly IReadOnlyList<int> LargeDims = [96, 192, 384, 768];

    /// <summary>The paper's variants: depths 2/4/6/2, RepMix in stages 1–2 and <paramref name="global"/> in stages 3–4.</summary>
    public static FaceLiVTConfig Create(IReadOnlyList<int> dims, TokenMixer global) => new()
    {
        Dims = dims,
        Depths = [2, 4, 6, 2],
        Mixers = [TokenMixer.RepMix, TokenMixer.RepMix, global, global],
    };

    /// <summary>Stride-2 RepConvs in the stem.</summary>
    [JsonIgnore] public int StemConvs => (int)Math.Ceiling(Math.Sqrt(PatchSize));

    /// <summary>Output channels of stem conv <paramref name="i"/>: C₀/2^(convs−1−i), as the reference's floor division.</summary>
    public int StemChannels(int i) => Dims[0] >> (StemConvs - 1 - i);

    /// <summary>MHSA value width per head at stage width <paramref name="channels"/>.</summary>
    public int MhsaValueDim(int channels) => (int)(channels * MhsaValueRatio);

    /// <summary>Feature-map side of each stage: every stride-2 conv (pad k/2) maps s to ⌈s/2⌉ for odd k.</summary>
    public int[] StageResolutions()
    {
        int side = InputSize;
        for (int i = 0; i < StemConvs; i++) side = Halve(side, 3);
        var sides = new int[Dims.Count];
        for (int i = 0; i < sides.Length; i++)
        {
            sides[i] = side;
            side = Halve(side, MergeKernel);
        }
        return sides;
    }

    /// <summary>Checks the lists agree and the widths divide as the blocks need.</summary>
    public void Validate()
    {
        if (Dims.Count == 0 || Depths.Count != Dims.Count || Mixers.Count != Dims.Count)
            throw new ModelFormatException($"FaceLiVT config: dims ({Dims.Count}), depths ({Depths.Count}) and mixers ({Mixers.Count}) must have one entry per stage");
        if (MergeKernel % 2 == 0) throw new ModelFormatException("FaceLiVT config: merge_kernel must be odd");
        for (int i = 0; i < Dims.Count; i++)
        {
            if (Dims[i] <= 0) throw new ModelFormatException($"FaceLiVT config: bad width {Dims[i]}");
            if (Mixers[i] == TokenMixer.Mhla && Dims[i] % MhlaHeads != 0)
                throw new ModelFormatException($"FaceLiVT config: stage {i} width {Dims[i]} is not divisible by {MhlaHeads} MHLA heads");
        }
    }

    private static int Halve(int side, int kernel) => (side + 2 * (kernel / 2) - kernel) / 2 + 1;
}
