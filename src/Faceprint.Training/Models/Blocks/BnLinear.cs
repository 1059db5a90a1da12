using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>FaceLiVT's <c>BN_Linear</c> head: BatchNorm1d <c>bn</c> (ε 1e-5), then Linear <c>l</c> with bias.</summary>
internal sealed class BnLinear : ReferenceModule
{
    private readonly BatchNorm1d _bn;
    private readonly Linear _l;

    /// <summary>Creates the head from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public BnLinear(int inFeatures, int outFeatures) : base(nameof(BnLinear))
    {
        _bn = nn.BatchNorm1d(inFeatures);
        _l = nn.Linear(inFeatures, outFeatures, hasBias: true);
        register_module("bn", _bn);
        register_module("l", _l);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var n = _bn.forward(input);
        return _l.forward(n);
    }
}
