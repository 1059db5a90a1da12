using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.MobileFaceNet;

/// <summary>
/// FaceX's MobileFaceNet (SPEC §3) for training, built from the engine's <see cref="MobileFaceNetConfig"/>. The engine
/// stores this family in deploy form (BN folded), so trained weights reach it through the EFM3 train form, and the
/// state_dict names are chosen to map one-to-one onto the EFM3 tensor order (283 tensors for the paper's stage table):
/// every conv of <see cref="Efm3Layout.Convs"/> is a module under that conv's name — <c>stem</c>, <c>stem_dw</c>,
/// <c>blocks.{i}.expand/.dw/.project</c>, <c>final</c>, <c>gdconv</c>, <c>embed</c> — holding <c>conv.weight</c>,
/// <c>bn.weight/.bias/.running_mean/.running_var</c> and, when activated, <c>prelu.weight</c>. Only configurations
/// EFM3 can describe are accepted (no TFLite-export extras, symmetric padding, 112×112 input). Input: faces normalised
/// as (v − 127.5)/128; output: the embed conv's BN output, flattened.
/// </summary>
public sealed class MobileFaceNetModule : FaceBackbone
{
    private readonly MobileFaceNetConfig _config;
    private readonly ConvBnPRelu _stem;
    private readonly ConvBnPRelu _stemDw;
    private readonly InvertedResidual[] _blocks;
    private readonly ConvBnPRelu _final;
    private readonly ConvBnPRelu _gdconv;
    private readonly ConvBnPRelu _embed;

    /// <summary>Creates the network; throws <see cref="ArgumentException"/> for a configuration EFM3 cannot hold.</summary>
    public MobileFaceNetModule(MobileFaceNetConfig config) : base(nameof(MobileFaceNetModule))
    {
        // Trained weights reach the engine only through EFM3, so refuse up front what EFM3 cannot describe.
        _ = Efm3Header.FromConfig(config);
        _config = config;
        var specs = Efm3Layout.Convs(config);
        int next = 0;
        _stem = new ConvBnPRelu(specs[next++], 3, 2, 1);
        _stemDw = new ConvBnPRelu(specs[next++], config.StemChannels, 1, 1);
        var blocks = new List<InvertedResidual>();
        int channels = config.StemChannels;
        foreach (var stage in config.Stages)
            for (int i = 0; i < stage.Blocks; i++)
            {
                int stride = i == 0 ? stage.Stride : 1, hidden = channels * stage.Expansion;
                var expand = new ConvBnPRelu(specs[next++], channels, 1, 0);
                var dw = new ConvBnPRelu(specs[next++], hidden, stride, 1);
                var project = new ConvBnPRelu(specs[next++], hidden, 1, 0);
                blocks.Add(new InvertedResidual(expand, dw, project, stride == 1 && channels == stage.Channels));
                channels = stage.Channels;
            }
        _blocks = [.. blocks];
        _final = new ConvBnPRelu(specs[next++], channels, 1, 0);
        _gdconv = new ConvBnPRelu(specs[next++], config.FinalChannels, 1, 0);
        _embed = new ConvBnPRelu(specs[next], config.FinalChannels, 1, 0);

        register_module("stem", _stem);
        register_module("stem_dw", _stemDw);
        register_module("blocks", nn.ModuleList(_blocks));
        register_module("final", _final);
        register_module("gdconv", _gdconv);
        register_module("embed", _embed);
        StateDictSpecs = Parameters(config);
    }

    /// <summary>The train-form state_dict of <paramref name="config"/> in EFM3 order (BatchNorm counters aside).</summary>
    public static IReadOnlyList<ParameterSpec> Parameters(MobileFaceNetConfig config)
    {
        var specs = new List<ParameterSpec>();
        foreach (var conv in Efm3Layout.Convs(config))
        {
            int o = conv.OutChannels;
            specs.Add(new ParameterSpec(conv.Name + ".conv.weight", conv.WeightShape));
            specs.Add(new ParameterSpec(conv.Name + ".bn.weight", [o]));
            specs.Add(new ParameterSpec(conv.Name + ".bn.bias", [o]));
            specs.Add(new ParameterSpec(conv.Name + ".bn.running_mean", [o]));
            specs.Add(new ParameterSpec(conv.Name + ".bn.running_var", [o]));
            if (conv.HasPRelu) specs.Add(new ParameterSpec(conv.Name + ".prelu.weight", [o]));
        }
        return specs;
    }

    /// <inheritdoc />
    public override string Family => MobileFaceNetDefinition.Family;

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
        var x = _stem.forward(input);
        x = Replace(x, _stemDw.forward(x));
        foreach (var block in _blocks) x = Replace(x, block.forward(x));
        x = Replace(x, _final.forward(x));
        x = Replace(x, _gdconv.forward(x));
        x = Replace(x, _embed.forward(x));
        using (x) return x.flatten(1);
    }

    private static Tensor Replace(Tensor old, Tensor next)
    {
        old.Dispose();
        return next;
    }
}
