using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Training.Models.Blocks;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.FaceLiVT;

/// <summary>
/// FaceLiVT for training, built from the engine's <see cref="FaceLiVTConfig"/> (any size, any mixer per stage) with
/// the module tree of the reference <c>backbones/facelivt.py</c>, so <c>state_dict</c> names are exactly
/// <see cref="FaceLiVTDefinition.Parameters"/>: <c>patch_embedds.0.stem.{i}.0</c> stem RepConvs (GELU between),
/// <c>patch_embedds.{s}</c> PatchMerging, <c>stages.{s}.blocks.{b}.block.{0,1}.m</c> residual token mixer and FFN,
/// global average pool, <c>head.classifier.bn/.l</c>. Input: faces normalised as (v − 127.5)/127.5.
/// </summary>
public sealed class FaceLiVTModule : FaceBackbone
{
    private readonly FaceLiVTConfig _config;
    private readonly nn.Module<Tensor, Tensor>[] _patchEmbeds;
    private readonly nn.Module<Tensor, Tensor>[] _stages;
    private readonly nn.Module<Tensor, Tensor> _head;

    /// <summary>Creates the network with PyTorch's default initialisation.</summary>
    public FaceLiVTModule(FaceLiVTConfig config) : base(nameof(FaceLiVTModule))
    {
        config.Validate();
        _config = config;
        var c = config;
        var stem = new nn.Module<Tensor, Tensor>[c.StemConvs];
        for (int i = 0; i < c.StemConvs; i++)
        {
            var conv = new RepConv(i == 0 ? 3 : c.StemChannels(i - 1), c.StemChannels(i), 3, 2, depthwise: false);
            // GELU after every stem conv but the last; index 1 of the pair, as in the reference's Sequential.
            stem[i] = i < c.StemConvs - 1 ? nn.Sequential(conv, nn.GELU()) : nn.Sequential(conv);
        }
        _patchEmbeds = new nn.Module<Tensor, Tensor>[c.Dims.Count];
        _patchEmbeds[0] = new NamedChild("stem", nn.Sequential(stem));
        for (int s = 1; s < c.Dims.Count; s++) _patchEmbeds[s] = new PatchMerging(c.Dims[s - 1], c.Dims[s], c.MergeKernel);

        int[] sides = c.StageResolutions();
        _stages = new nn.Module<Tensor, Tensor>[c.Dims.Count];
        for (int s = 0; s < c.Dims.Count; s++)
        {
            var blocks = new nn.Module<Tensor, Tensor>[c.Depths[s]];
            for (int b = 0; b < blocks.Length; b++)
            {
                var mixer = Mixer(c, s, sides[s] * sides[s]);
                var ffn = new Residual(new Ffn(c.Dims[s], c.MlpRatio * c.Dims[s]));
                blocks[b] = new NamedChild("block", nn.Sequential(new Residual(mixer), ffn));
            }
            _stages[s] = new NamedChild("blocks", nn.Sequential(blocks));
        }
        _head = new NamedChild("classifier", new BnLinear(c.Dims[^1], c.EmbeddingSize));

        register_module("patch_embedds", nn.ModuleList(_patchEmbeds));
        register_module("stages", nn.ModuleList(_stages));
        register_module("head", _head);
        StateDictSpecs = FaceLiVTDefinition.Parameters(config);
    }

    /// <inheritdoc />
    public override string Family => FaceLiVTDefinition.Family;

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
        var x = input;
        for (int s = 0; s < _stages.Length; s++)
        {
            var merged = _patchEmbeds[s].forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = _stages[s].forward(merged);
            merged.Dispose();
        }
        using var pooled = x.mean([2, 3]);
        x.Dispose();
        return _head.forward(pooled);
    }

    private static nn.Module<Tensor, Tensor> Mixer(FaceLiVTConfig c, int stage, int tokens)
    {
        int dim = c.Dims[stage];
        return c.Mixers[stage] switch
        {
            TokenMixer.RepMix => new RepConv(dim, dim, 3, 1, depthwise: true),
            TokenMixer.Mhla => new Mhla(dim, tokens, c.MhlaHeads, c.MhlaExpansion),
            _ => new Mhsa(dim, FaceLiVTDefinition.MhsaLayout(c, dim)),
        };
    }
}
