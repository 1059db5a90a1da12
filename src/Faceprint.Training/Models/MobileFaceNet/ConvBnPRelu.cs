using Faceprint.Training.Models;
using Faceprint.Import.Efm3;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.MobileFaceNet;

/// <summary>
/// One conv of FaceX's MobileFaceNet in train form, as an EFM3 file stores it: bias-free conv <c>conv</c>, BatchNorm
/// <c>bn</c> (ε 1e-5) and, when the layer is activated, per-channel PReLU <c>prelu</c>. Its state_dict lists the
/// tensors in the EFM3 order: weight, γ, β, running mean, running var, slope.
/// </summary>
internal sealed class ConvBnPRelu : ReferenceModule
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;
    private readonly PReLU? _prelu;

    /// <summary>Creates the layer for <paramref name="spec"/>; depthwise when its kernel reads one channel per group.</summary>
    public ConvBnPRelu(Efm3ConvSpec spec, int inChannels, int stride, int padding) : base(nameof(ConvBnPRelu))
    {
        int groups = inChannels / spec.InPerGroup;
        _conv = nn.Conv2d(inChannels, spec.OutChannels, spec.Kernel, stride: stride, padding: padding, groups: groups, bias: false);
        _bn = nn.BatchNorm2d(spec.OutChannels, Efm3Conv.BatchNormEpsilon);
        register_module("conv", _conv);
        register_module("bn", _bn);
        if (spec.HasPRelu)
        {
            _prelu = nn.PReLU(spec.OutChannels, 0.25);
            register_module("prelu", _prelu);
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var y = _conv.forward(input);
        if (_prelu is null) return _bn.forward(y);
        using var n = _bn.forward(y);
        return _prelu.forward(n);
    }
}
