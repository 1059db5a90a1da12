using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>FaceLiVT's <c>Conv2d_BN</c> as used for projections: a bias-free 1×1 conv <c>c</c>, then BatchNorm <c>bn</c> (ε 1e-5).</summary>
internal sealed class ConvBn : ReferenceModule
{
    private readonly Conv2d _c;
    private readonly BatchNorm2d _bn;

    /// <summary>Creates the pair mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvBn(int inChannels, int outChannels) : base(nameof(ConvBn))
    {
        _c = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        _bn = nn.BatchNorm2d(outChannels);
        register_module("c", _c);
        register_module("bn", _bn);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var y = _c.forward(input);
        return _bn.forward(y);
    }
}
