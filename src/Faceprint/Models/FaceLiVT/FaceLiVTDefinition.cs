using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Weights;
using Faceprint.Models.Reparameterization;

namespace Faceprint.Models.FaceLiVT;

/// <summary>
/// The FaceLiVT family (Setyawan et al., official <c>backbones/facelivt.py</c>) written once for every size and
/// mixer choice. Parameters carry the reference module names, so a PyTorch checkpoint maps by name:
/// <list type="bullet">
/// <item><c>patch_embedds.0.stem.{i}.0</c>: stem RepConv i (<c>.conv</c> k×k+bias, <c>.repconv</c> 1×1+bias, <c>.bn</c>), GELU after all but the last;</item>
/// <item><c>patch_embedds.{s}</c> (s ≥ 1), PatchMerging into stage s: <c>.spatial.0</c> depthwise RepConv s2,
/// <c>.spatial.1.c/.bn</c> Conv1×1-BN to the new width, <c>.channel.m.pw1/.pw2</c> residual FFN (hidden 2C);</item>
/// <item><c>stages.{s}.blocks.{b}.block.0.m</c>: token mixer in a residual (repmix: RepConv depthwise;
/// mhla: <c>.norm</c> GroupNorm(1, C), <c>.linear1.{h}</c> [4N, N], <c>.linear2.{h}</c> [N, 4N];
/// mhsa: <c>.qkv_proj.c/.bn</c>, <c>.out_proj.c/.bn</c>);</item>
/// <item><c>stages.{s}.blocks.{b}.block.1.m.pw1/.pw2</c>: residual FFN (hidden mlp_ratio·C), each Conv1×1 (<c>.c</c>, no bias) + BN;</item>
/// <item><c>head.classifier.bn</c> BatchNorm1d, <c>head.classifier.l</c> Linear(C₃ → embedding).</item>
/// </list>
/// BatchNorm <c>num_batches_tracked</c> counters are not part of the definition. Weights are stored in this
/// train form; <see cref="Build"/> reparameterizes them at load unless asked not to.
/// </summary>
public static class FaceLiVTDefinition
{
    /// <summary>Family name in model files.</summary>
    public const string Family = "facelivt";

    private const float BatchNormEpsilon = 1e-5f;
    private const float GroupNormEpsilon = 1e-5f;

    /// <summary>Train-form parameters in <c>state_dict</c> order.</summary>
    public static IReadOnlyList<ParameterSpec> Parameters(FaceLiVTConfig c)
    {
        c.Validate();
        var specs = new List<ParameterSpec>();
        for (int i = 0; i < c.StemConvs; i++)
            specs.AddRange(RepConvSpecs($"patch_embedds.0.stem.{i}.0", i == 0 ? 3 : c.StemChannels(i - 1), c.StemChannels(i), 3, 1));
        for (int s = 1; s < c.Dims.Count; s++)
        {
            string p = $"patch_embedds.{s}";
            int from = c.Dims[s - 1], to = c.Dims[s];
            specs.AddRange(RepConvSpecs(p + ".spatial.0", from, from, c.MergeKernel, from));
            specs.AddRange(ConvBnSpecs(p + ".spatial.1", from, to));
            specs.AddRange(FfnSpecs(p + ".channel.m", to, 2 * to));
        }
        int[] sides = c.StageResolutions();
        for (int s = 0; s < c.Dims.Count; s++)
            for (int b = 0; b < c.Depths[s]; b++)
            {
                string p = $"stages.{s}.blocks.{b}.block";
                int dim = c.Dims[s], tokens = sides[s] * sides[s];
                switch (c.Mixers[s])
                {
                    case TokenMixer.RepMix:
                        specs.AddRange(RepConvSpecs(p + ".0.m", dim, dim, 3, dim));
                        break;
                    case TokenMixer.Mhla:
                        specs.AddRange(TorchSpecs.Norm(p + ".0.m.norm", dim));
                        for (int h = 0; h < c.MhlaHeads; h++) specs.AddRange(TorchSpecs.Linear($"{p}.0.m.linear1.{h}", tokens, c.MhlaExpansion * tokens, true));
                        for (int h = 0; h < c.MhlaHeads; h++) specs.AddRange(TorchSpecs.Linear($"{p}.0.m.linear2.{h}", c.MhlaExpansion * tokens, tokens, true));
                        break;
                    default:
                        var layout = MhsaLayout(c, dim);
                        specs.AddRange(ConvBnSpecs(p + ".0.m.qkv_proj", dim, layout.Channels));
                        specs.AddRange(ConvBnSpecs(p + ".0.m.out_proj", layout.OutputChannels, dim));
                        break;
                }
                specs.AddRange(FfnSpecs(p + ".1.m", dim, c.MlpRatio * dim));
            }
        specs.AddRange(TorchSpecs.BatchNorm("head.classifier.bn", c.Dims[^1]));
        specs.AddRange(TorchSpecs.Linear("head.classifier.l", c.Dims[^1], c.EmbeddingSize, true));
        return specs;
    }

    /// <summary>
    /// Builds the inference graph from train-form weights: input N×S×S×3, output N×1×1×embedding (not normalised).
    /// With <paramref name="reparameterize"/> every BN is folded, RepConv branches merged and RepMix residuals folded
    /// into their depthwise kernels; without it the graph runs the modules as trained.
    /// </summary>
    public static Network Build(FaceLiVTConfig c, WeightSet weights, bool reparameterize = true)
    {
        weights.Validate(Parameters(c), "FaceLiVT");
        var builder = new NetworkBuilder();
        var f = new ReparamLayerFactory(builder, weights, reparameterize);
        int x = NetworkBuilder.Input;
        for (int i = 0; i < c.StemConvs; i++)
        {
            string p = $"patch_embedds.0.stem.{i}.0";
            x = f.RepConv(p, x, i == 0 ? 3 : c.StemChannels(i - 1), c.StemChannels(i), 3, 2, depthwise: false, residual: false, BatchNormEpsilon);
            if (i < c.StemConvs - 1) x = f.Gelu($"patch_embedds.0.stem.{i}.1", x);
        }
        int[] sides = c.StageResolutions();
        bool pooled = false;
        for (int s = 0; s < c.Dims.Count; s++)
        {
            if (s > 0) x = PatchMerging(f, $"patch_embedds.{s}", x, c.Dims[s - 1], c.Dims[s], c.MergeKernel);
            for (int b = 0; b < c.Depths[s]; b++)
            {
                string p = $"stages.{s}.blocks.{b}.block";
                x = Mixer(f, c, p + ".0.m", x, s, sides[s] * sides[s]);
                pooled = f.Deploy && s == c.Dims.Count - 1 && b == c.Depths[s] - 1;
                x = pooled
                    ? PooledResidualFfn(f, p + ".1.m", x, c.Dims[s], c.MlpRatio * c.Dims[s])
                    : ResidualFfn(f, p + ".1.m", x, c.Dims[s], c.MlpRatio * c.Dims[s]);
            }
        }
        if (!pooled) x = f.Append(new GlobalAveragePoolLayer("pre_head", x, f.NewValue()));
        x = f.BnLinear("head.classifier.bn", "head.classifier.l", x, c.Dims[^1], BatchNormEpsilon);
        return builder.Build(reparameterize ? "FaceLiVT" : "FaceLiVT (train form)", 3, x);
    }

    /// <summary>Head layout of FaceLiVT's MHSA projection at stage width <paramref name="dim"/>.</summary>
    public static AttentionLayout MhsaLayout(FaceLiVTConfig c, int dim) =>
        AttentionLayout.Interleaved(c.MhsaHeads, c.MhsaKeyDim, c.MhsaValueDim(dim));

    private static int Mixer(ReparamLayerFactory f, FaceLiVTConfig c, string p, int x, int stage, int tokens)
    {
        int dim = c.Dims[stage];
        switch (c.Mixers[stage])
        {
            case TokenMixer.RepMix:
                return f.RepConv(p, x, dim, dim, 3, 1, depthwise: true, residual: true, BatchNormEpsilon);
            case TokenMixer.Mhla:
            {
                var w = f.Weights;
                int n = f.Append(new GroupNormLayer(p + ".norm", x, f.NewValue(), 1, w[p + ".norm.weight"], w[p + ".norm.bias"], GroupNormEpsilon));
                var heads = Enumerable.Range(0, c.MhlaHeads).ToArray();
                int y = f.Append(new TokenMixingLayer(p, n, f.NewValue(), dim, tokens,
                    heads.Select(h => w[$"{p}.linear1.{h}.weight"]).ToArray(), heads.Select(h => w[$"{p}.linear1.{h}.bias"]).ToArray(),
                    heads.Select(h => w[$"{p}.linear2.{h}.weight"]).ToArray(), heads.Select(h => w[$"{p}.linear2.{h}.bias"]).ToArray()));
                return f.Add(p + ".residual", x, y);
            }
            default:
            {
                var layout = MhsaLayout(c, dim);
                int qkv = f.ConvBn(p + ".qkv_proj.c", p + ".qkv_proj.bn", x, dim, layout.Channels, 1, 1, 0, false, BatchNormEpsilon);
                int a = f.Append(new MultiHeadAttentionLayer(p + ".attention", qkv, f.NewValue(), layout));
                int y = f.ConvBn(p + ".out_proj.c", p + ".out_proj.bn", a, layout.OutputChannels, dim, 1, 1, 0, false, BatchNormEpsilon);
                return f.Add(p + ".residual", x, y);
            }
        }
    }

    private static int PatchMerging(ReparamLayerFactory f, string p, int x, int from, int to, int kernel)
    {
        x = f.RepConv(p + ".spatial.0", x, from, from, kernel, 2, depthwise: true, residual: false, BatchNormEpsilon);
        int projected = f.ConvBn(p + ".spatial.1.c", p + ".spatial.1.bn", x, from, to, 1, 1, 0, false, BatchNormEpsilon);
        if (!f.Deploy) return ResidualFfn(f, p + ".channel.m", projected, to, 2 * to);
        // With BN folded, the projection (from → to) and the FFN expansion (to → 2·to) are two linear maps in a row:
        // composed, the expansion reads the narrower depthwise output, half its multiply-adds and weights. The
        // projection still runs, as the FFN's residual.
        string m = p + ".channel.m";
        int h = f.ComposedConvBn(p + ".spatial.1.c", p + ".spatial.1.bn", m + ".pw1.c", m + ".pw1.bn", x, from, BatchNormEpsilon);
        h = f.Gelu(m + ".act", h);
        h = f.ConvBn(m + ".pw2.c", m + ".pw2.bn", h, 2 * to, to, 1, 1, 0, false, BatchNormEpsilon);
        return f.Add(m + ".residual", projected, h);
    }

    /// <summary>
    /// Deploy form of the last block's FFN followed by the global average pool: only the pixel average of
    /// x + pw2(GELU(pw1(x))) is used, and the average commutes with pw2 (linear once BN is folded), so pw2 runs on each
    /// image's averaged hidden vector (one row) instead of on every pixel. Returns the pooled value.
    /// </summary>
    private static int PooledResidualFfn(ReparamLayerFactory f, string p, int x, int dim, int hidden)
    {
        int pooled = f.Append(new GlobalAveragePoolLayer("pre_head", x, f.NewValue()));
        int h = f.ConvBn(p + ".pw1.c", p + ".pw1.bn", x, dim, hidden, 1, 1, 0, false, BatchNormEpsilon);
        h = f.Gelu(p + ".act", h);
        h = f.Append(new GlobalAveragePoolLayer(p + ".act.pool", h, f.NewValue()));
        h = f.LinearBn(p + ".pw2.c", p + ".pw2.bn", h, hidden, dim, BatchNormEpsilon);
        return f.Add(p + ".residual", pooled, h);
    }

    private static int ResidualFfn(ReparamLayerFactory f, string p, int x, int dim, int hidden)
    {
        int h = f.ConvBn(p + ".pw1.c", p + ".pw1.bn", x, dim, hidden, 1, 1, 0, false, BatchNormEpsilon);
        h = f.Gelu(p + ".act", h);
        h = f.ConvBn(p + ".pw2.c", p + ".pw2.bn", h, hidden, dim, 1, 1, 0, false, BatchNormEpsilon);
        return f.Add(p + ".residual", x, h);
    }

    private static IEnumerable<ParameterSpec> RepConvSpecs(string name, int inChannels, int outChannels, int kernel, int groups) =>
        TorchSpecs.Conv2d(name + ".conv", inChannels, outChannels, kernel, groups, true)
            .Concat(TorchSpecs.Conv2d(name + ".repconv", inChannels, outChannels, kernel / 2, groups, true))
            .Concat(TorchSpecs.BatchNorm(name + ".bn", outChannels));

    private static IEnumerable<ParameterSpec> ConvBnSpecs(string name, int inChannels, int outChannels) =>
        TorchSpecs.Conv2d(name + ".c", inChannels, outChannels, 1, 1, false).Concat(TorchSpecs.BatchNorm(name + ".bn", outChannels));

    private static IEnumerable<ParameterSpec> FfnSpecs(string name, int dim, int hidden) =>
        ConvBnSpecs(name + ".pw1", dim, hidden).Concat(ConvBnSpecs(name + ".pw2", hidden, dim));
}
