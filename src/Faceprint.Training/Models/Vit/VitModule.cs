using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.Vit;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Vit;

/// <summary>
/// InsightFace's face ViT (the LVFace backbone) for training, built from the engine's <see cref="VitConfig"/> with the
/// reference module names, so <c>state_dict</c> is exactly <see cref="VitDefinition.Parameters"/>: <c>pos_embed</c>,
/// <c>mask_token</c>, <c>patch_embed.proj</c>, <c>blocks.{i}</c>, <c>norm</c>, <c>feature.0–3</c>
/// (Linear → BN1d → Linear → BN1d, ε 2e-5). In training mode a fraction of the tokens (10 % by default, the
/// reference's <c>mask_ratio</c>) is dropped per image before the blocks and filled with <c>mask_token</c> after the
/// final LayerNorm; in eval mode every token is kept, which is the function the engine runs. Input: faces normalised
/// as (v − 127.5)/128.
/// </summary>
public sealed class VitModule : FaceBackbone
{
    private const double FeatureBatchNormEpsilon = 2e-5;
    private const string PosEmbed = "pos_embed";
    private const string MaskToken = "mask_token";

    private readonly VitConfig _config;
    private readonly Blocks.NamedChild _patchEmbed;
    private readonly VitBlock[] _blocks;
    private readonly LayerNorm _norm;
    private readonly Sequential _feature;

    /// <summary>Creates the network; <paramref name="maskRatio"/> is the share of tokens masked in training mode.</summary>
    public VitModule(VitConfig config, double maskRatio = 0.1) : base(nameof(VitModule))
    {
        config.Validate();
        if (maskRatio is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(maskRatio), maskRatio, "must be in [0, 1)");
        _config = config;
        MaskRatio = maskRatio;
        int d = config.EmbedDim;
        // Initialised as the reference does: position embedding and mask token ~ N(0, 0.02²) (trunc_normal there).
        _patchEmbed = new Blocks.NamedChild("proj", nn.Conv2d(3, d, config.PatchSize, stride: config.PatchSize, bias: true));
        _blocks = Enumerable.Range(0, config.Depth).Select(_ => new VitBlock(d, config.Heads, config.MlpHidden)).ToArray();
        _norm = nn.LayerNorm(d);
        _feature = nn.Sequential(
            nn.Linear(config.Tokens * d, d, hasBias: false),
            nn.BatchNorm1d(d, FeatureBatchNormEpsilon),
            nn.Linear(d, config.EmbeddingSize, hasBias: false),
            nn.BatchNorm1d(config.EmbeddingSize, FeatureBatchNormEpsilon));

        // A Scalar held by this frame, not a temporary the GC may free during the native call (see PartialFC).
        using var std = 0.02.ToScalar();
        register_parameter(PosEmbed, new Parameter(randn(1, config.Tokens, d).mul_(std)));
        register_parameter(MaskToken, new Parameter(randn(1, 1, d).mul_(std)));
        register_module("patch_embed", _patchEmbed);
        register_module("blocks", nn.ModuleList(_blocks));
        register_module("norm", _norm);
        register_module("feature", _feature);
        StateDictSpecs = VitDefinition.Parameters(config);
    }

    /// <summary>Share of tokens masked per image in training mode (0 turns masking off).</summary>
    public double MaskRatio { get; }

    /// <inheritdoc />
    public override string Family => VitDefinition.Family;

    /// <inheritdoc />
    public override JsonObject Config => ModelFamilies.ToJson(_config);

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> StateDictSpecs { get; }

    /// <inheritdoc />
    public override int InputSize => _config.InputSize;

    /// <inheritdoc />
    public override int EmbeddingSize => _config.EmbeddingSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0];
        int tokens = _config.Tokens, d = _config.EmbedDim;
        using var patches = _patchEmbed.forward(input);
        using var flat = patches.flatten(2);
        using var sequence = flat.transpose(1, 2);
        var x = sequence + Registered(PosEmbed);
        bool masking = training && MaskRatio > 0;
        Tensor? restore = null;
        try
        {
            if (masking) x = KeepRandomTokens(x, out restore);
            foreach (var block in _blocks)
            {
                var next = block.forward(x);
                x.Dispose();
                x = next;
            }
            var normed = _norm.forward(x);
            x.Dispose();
            x = normed;
            if (masking) x = FillMasked(x, restore!);
            using var features = x.reshape(batch, (long)tokens * d);
            return _feature.forward(features);
        }
        finally
        {
            x.Dispose();
            restore?.Dispose();
        }
    }

    /// <summary>
    /// Keeps ⌊T·(1 − ratio)⌋ tokens per image, chosen by sorting uniform noise; <paramref name="restore"/> receives the
    /// permutation that puts them (followed by the dropped slots) back in grid order. Disposes <paramref name="x"/>.
    /// </summary>
    private Tensor KeepRandomTokens(Tensor x, out Tensor restore)
    {
        long batch = x.shape[0], tokens = x.shape[1], d = x.shape[2];
        long keep = (long)(tokens * (1 - MaskRatio));
        using var noise = rand(batch, tokens, device: x.device);
        using var shuffle = noise.argsort(1);
        restore = shuffle.argsort(1);
        using var kept = shuffle.narrow(1, 0, keep);
        using var index = kept.unsqueeze(-1).expand(batch, keep, d);
        var result = x.gather(1, index);
        x.Dispose();
        return result;
    }

    /// <summary>Appends a mask token per dropped slot and unshuffles to grid order. Disposes <paramref name="x"/>.</summary>
    private Tensor FillMasked(Tensor x, Tensor restore)
    {
        long batch = x.shape[0], kept = x.shape[1], d = x.shape[2], tokens = restore.shape[1];
        using var masks = Registered(MaskToken).expand(batch, tokens - kept, d);
        using var joined = cat([x, masks], 1);
        using var index = restore.unsqueeze(-1).expand(batch, tokens, d);
        var result = joined.gather(1, index);
        x.Dispose();
        return result;
    }
}
