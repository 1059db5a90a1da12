using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>
/// FaceLiVT's RepConv (SPEC §4): a k×k conv <c>conv</c> and a (k/2)×(k/2) conv <c>repconv</c>, both with bias and the
/// same stride and groups, summed, then BatchNorm <c>bn</c>. The engine merges the branches and folds the BN at load.
/// </summary>
internal sealed class RepConv : ReferenceModule
{
    private readonly Conv2d _conv;
    private readonly Conv2d _repconv;
    private readonly BatchNorm2d _bn;

    /// <summary>Creates the block; <paramref name="depthwise"/> makes both convs per-channel (then in = out channels).</summary>
    public RepConv(int inChannels, int outChannels, int kernel, int stride, bool depthwise) : base(nameof(RepConv))
    {
        int groups = depthwise ? inChannels : 1, small = kernel / 2;
        _conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: true);
        _repconv = nn.Conv2d(inChannels, outChannels, small, stride: stride, padding: small / 2, groups: groups, bias: true);
        _bn = nn.BatchNorm2d(outChannels);
        register_module("conv", _conv);
        register_module("repconv", _repconv);
        register_module("bn", _bn);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var large = _conv.forward(input);
        using var narrow = _repconv.forward(input);
        using var sum = large + narrow;
        return _bn.forward(sum);
    }
}
