using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Models.Reparameterization;

namespace Faceprint.Models.Vit;

/// <summary>
/// InsightFace's face ViT (<c>recognition/arcface_torch/backbones/vit.py</c>, the LVFace backbone) written once for
/// every size. Parameter names are the reference <c>state_dict</c>'s:
/// <c>pos_embed</c> [1, T, D], <c>mask_token</c> [1, 1, D] (training-time masking only; held but unused here),
/// <c>patch_embed.proj</c> Conv k=s=patch with bias; per block i <c>blocks.{i}.norm1/.norm2</c> LayerNorm,
/// <c>blocks.{i}.attn.qkv</c> Linear(D, 3D) without bias read as [3][heads][D/heads], <c>blocks.{i}.attn.proj</c>
/// Linear(D, D), <c>blocks.{i}.mlp.fc1/.fc2</c> Linear(D, 4D), Linear(4D, D); <c>norm</c> final LayerNorm;
/// <c>feature.0</c> Linear(T·D → D, no bias), <c>feature.1</c> BatchNorm1d (eps 2e-5), <c>feature.2</c>
/// Linear(D → embedding, no bias), <c>feature.3</c> BatchNorm1d (eps 2e-5). Tokens flatten token-major, which is
/// exactly the NHWC order of the 12×12 grid. At load, unless reparameterization is off, the two BatchNorm1d are folded
/// into their Linear and every LayerNorm's affine into the linear that reads it (qkv, fc1, feature.0).
/// </summary>
public static class VitDefinition
{
    /// <summary>Family name in model files.</summary>
    public const string Family = "vit";

    private const float LayerNormEpsilon = 1e-5f;
    private const float FeatureBatchNormEpsilon = 2e-5f;

    /// <summary>Train-form parameters in <c>state_dict</c> order.</summary>
    public static IReadOnlyList<ParameterSpec> Parameters(VitConfig c)
    {
        c.Validate();
        int d = c.EmbedDim;
        var specs = new List<ParameterSpec>
        {
            new("pos_embed", [1, c.Tokens, d]),
            new("mask_token", [1, 1, d]),
        };
        specs.AddRange(TorchSpecs.Conv2d("patch_embed.proj", 3, d, c.PatchSize, 1, true));
        for (int i = 0; i < c.Depth; i++)
        {
            string p = $"blocks.{i}";
            specs.AddRange(TorchSpecs.Norm(p + ".norm1", d));
            specs.AddRange(TorchSpecs.Norm(p + ".norm2", d));
            specs.AddRange(TorchSpecs.Linear(p + ".attn.qkv", d, 3 * d, false));
            specs.AddRange(TorchSpecs.Linear(p + ".attn.proj", d, d, true));
            specs.AddRange(TorchSpecs.Linear(p + ".mlp.fc1", d, c.MlpHidden, true));
            specs.AddRange(TorchSpecs.Linear(p + ".mlp.fc2", c.MlpHidden, d, true));
        }
        specs.AddRange(TorchSpecs.Norm("norm", d));
        specs.AddRange(TorchSpecs.Linear("feature.0", c.Tokens * d, d, false));
        specs.AddRange(TorchSpecs.BatchNorm("feature.1", d));
        specs.AddRange(TorchSpecs.Linear("feature.2", d, c.EmbeddingSize, false));
        specs.AddRange(TorchSpecs.BatchNorm("feature.3", c.EmbeddingSize));
        return specs;
    }

    /// <summary>Builds the inference graph: input N×S×S×3, output N×1×1×embedding (not normalised).</summary>
    public static Network Build(VitConfig c, WeightSet weights, bool reparameterize = true)
    {
        weights.Validate(Parameters(c), "ViT");
        var builder = new NetworkBuilder();
        var f = new ReparamLayerFactory(builder, weights, reparameterize);
        int d = c.EmbedDim;
        int x = f.Append(new Conv2dLayer("patch_embed.proj", NetworkBuilder.Input, f.NewValue(), weights["patch_embed.proj.weight"],
            weights["patch_embed.proj.bias"], 3, c.PatchSize, c.PatchSize, Padding.Valid, Activation.None));
        x = f.Append(new PositionEmbeddingLayer("pos_embed", x, f.NewValue(), weights["pos_embed"], c.Tokens, d));
        var layout = AttentionLayout.Grouped(d, c.Heads);
        for (int i = 0; i < c.Depth; i++)
        {
            string p = $"blocks.{i}";
            int h = f.NormTokenLinear(p + ".norm1", p + ".attn.qkv", x, d, 3 * d, bias: false, LayerNormEpsilon);
            h = f.Append(new MultiHeadAttentionLayer(p + ".attn", h, f.NewValue(), layout));
            h = f.TokenLinear(p + ".attn.proj", h, d, d, bias: true);
            x = f.Add(p + ".attn.residual", x, h);
            h = f.NormTokenLinear(p + ".norm2", p + ".mlp.fc1", x, d, c.MlpHidden, bias: true, LayerNormEpsilon);
            h = f.Relu6(p + ".mlp.act", h);
            h = f.TokenLinear(p + ".mlp.fc2", h, c.MlpHidden, d, bias: true);
            x = f.Add(p + ".mlp.residual", x, h);
        }
        x = f.NormLinearBn("norm", "feature.0", "feature.1", x, d, c.Tokens * d, d, LayerNormEpsilon, FeatureBatchNormEpsilon);
        x = f.LinearBn("feature.2", "feature.3", x, d, c.EmbeddingSize, FeatureBatchNormEpsilon);
        return builder.Build(reparameterize ? "ViT" : "ViT (train form)", 3, x);
    }
}
