using Faceprint.Training.Models;
using Faceprint.Training.Models.Blocks;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.FaceLiVT;

/// <summary>
/// FaceLiVT's PatchMerging between stages (SPEC §4): <c>spatial.0</c> depthwise RepConv stride 2, <c>spatial.1</c>
/// Conv1×1-BN to the next width, then <c>channel</c> a residual FFN with hidden width 2·C.
/// </summary>
internal sealed class PatchMerging : ReferenceModule
{
    private readonly nn.Module<Tensor, Tensor> _spatial;
    private readonly Residual _channel;

    /// <summary>Creates the merge from <paramref name="from"/> to <paramref name="to"/> channels.</summary>
    public PatchMerging(int from, int to, int kernel) : base(nameof(PatchMerging))
    {
        _spatial = nn.Sequential(new RepConv(from, from, kernel, 2, depthwise: true), new ConvBn(from, to));
        _channel = new Residual(new Ffn(to, 2 * to));
        register_module("spatial", _spatial);
        register_module("channel", _channel);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var x = _spatial.forward(input);
        return _channel.forward(x);
    }
}
