using Faceprint.Training.Models;
using Faceprint.Core.Kernels;
using Faceprint.Training.Models.Blocks;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.FaceLiVT;

/// <summary>
/// FaceLiVT's multi-head softmax attention (SPEC §4): Conv1×1-BN <c>qkv_proj</c> to heads × [q | k | v] (each head's
/// block contiguous, as <see cref="AttentionLayout.Interleaved"/>), softmax(qᵀk / √key_dim) per head applied to v,
/// heads concatenated channel-wise, Conv1×1-BN <c>out_proj</c> back to the stage width.
/// </summary>
internal sealed class Mhsa : ReferenceModule
{
    private readonly ConvBn _qkv;
    private readonly ConvBn _out;
    private readonly AttentionLayout _layout;

    /// <summary>Creates the mixer for <paramref name="channels"/> channels with the head layout <paramref name="layout"/>.</summary>
    public Mhsa(int channels, AttentionLayout layout) : base(nameof(Mhsa))
    {
        _layout = layout;
        _qkv = new ConvBn(channels, layout.Channels);
        _out = new ConvBn(layout.OutputChannels, channels);
        register_module("qkv_proj", _qkv);
        register_module("out_proj", _out);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], height = input.shape[2], width = input.shape[3], tokens = height * width;
        int kd = _layout.KeyDim, vd = _layout.ValueDim;
        using var projected = _qkv.forward(input);
        using var qkv = projected.reshape(batch, _layout.Heads, _layout.HeadStride, tokens);
        using var q = qkv.narrow(2, 0, kd);
        using var k = qkv.narrow(2, kd, kd);
        using var v = qkv.narrow(2, 2 * kd, vd);
        using var qt = q.transpose(-2, -1);
        using var scores = matmul(qt, k);
        using var scaled = scores * Math.Pow(kd, -0.5);
        using var weights = scaled.softmax(-1);
        using var wt = weights.transpose(-2, -1);
        using var mixed = matmul(v, wt);
        using var joined = mixed.reshape(batch, _layout.OutputChannels, height, width);
        return _out.forward(joined);
    }
}
