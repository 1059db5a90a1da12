using System.Text.Json.Serialization;

namespace Faceprint.Models.Vit;

/// <summary>
/// The ViT sizes of InsightFace's <c>arcface_torch</c> (the backbone LVFace trains) as data: patch-embedding conv,
/// learned position embedding, pre-LN blocks with a ReLU6 MLP, final LayerNorm, and a flattened-token feature head.
/// </summary>
public sealed record VitConfig
{
    /// <summary>Input side in pixels (112).</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 112;

    /// <summary>Patch side (conv kernel and stride; 9 gives 12×12 tokens, the last 4 pixels unused).</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 9;

    /// <summary>Token width D.</summary>
    [JsonPropertyName("embed_dim")] public int EmbedDim { get; init; } = 512;

    /// <summary>Transformer blocks.</summary>
    [JsonPropertyName("depth")] public int Depth { get; init; } = 12;

    /// <summary>Attention heads.</summary>
    [JsonPropertyName("heads")] public int Heads { get; init; } = 8;

    /// <summary>MLP hidden width over D.</summary>
    [JsonPropertyName("mlp_ratio")] public double MlpRatio { get; init; } = 4;

    /// <summary>Embedding dimension (<c>num_features</c>).</summary>
    [JsonPropertyName("embedding_size")] public int EmbeddingSize { get; init; } = 512;

    /// <summary>ViT-T: D 256, 12 blocks.</summary>
    public static VitConfig Tiny => new() { EmbedDim = 256, Depth = 12 };

    /// <summary>ViT-S: D 512, 12 blocks.</summary>
    public static VitConfig Small => new() { EmbedDim = 512, Depth = 12 };

    /// <summary>ViT-B: D 512, 24 blocks.</summary>
    public static VitConfig Base => new() { EmbedDim = 512, Depth = 24 };

    /// <summary>ViT-L: D 768, 24 blocks.</summary>
    public static VitConfig Large => new() { EmbedDim = 768, Depth = 24 };

    /// <summary>Tokens per side: ⌊input/patch⌋.</summary>
    [JsonIgnore] public int GridSize => InputSize / PatchSize;

    /// <summary>Tokens per image.</summary>
    [JsonIgnore] public int Tokens => GridSize * GridSize;

    /// <summary>MLP hidden width, ⌊D·ratio⌋ as the reference's int().</summary>
    [JsonIgnore] public int MlpHidden => (int)(EmbedDim * MlpRatio);

    /// <summary>Checks the sizes fit together.</summary>
    public void Validate()
    {
        if (EmbedDim <= 0 || Depth <= 0 || Heads <= 0 || EmbedDim % Heads != 0)
            throw new ModelFormatException($"ViT config: embed_dim {EmbedDim} must be a positive multiple of {Heads} heads and depth positive");
        if (PatchSize <= 0 || GridSize <= 0) throw new ModelFormatException($"ViT config: patch {PatchSize} does not fit input {InputSize}");
    }
}
