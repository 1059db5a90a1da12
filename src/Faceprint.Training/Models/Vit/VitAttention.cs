using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Vit;

/// <summary>
/// The ViT's self-attention: <c>qkv</c> Linear(D, 3D) without bias read as [3][heads][D/heads], softmax(q·kᵀ ·
/// (D/heads)^-0.5)·v per head, heads concatenated, <c>proj</c> Linear(D, D) with bias.
/// </summary>
internal sealed class VitAttention : ReferenceModule
{
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly int _heads;

    /// <summary>Creates the attention of width <paramref name="dim"/> with <paramref name="heads"/> heads.</summary>
    public VitAttention(int dim, int heads) : base(nameof(VitAttention))
    {
        _heads = heads;
        _qkv = nn.Linear(dim, 3 * dim, hasBias: false);
        _proj = nn.Linear(dim, dim, hasBias: true);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], tokens = input.shape[1], dim = input.shape[2], headDim = dim / _heads;
        using var projected = _qkv.forward(input);
        using var split = projected.reshape(batch, tokens, 3, _heads, headDim);
        using var qkv = split.permute(2, 0, 3, 1, 4);
        using var q = qkv[0];
        using var k = qkv[1];
        using var v = qkv[2];
        using var kt = k.transpose(-2, -1);
        using var scores = matmul(q, kt);
        using var scaled = scores * Math.Pow(headDim, -0.5);
        using var weights = scaled.softmax(-1);
        using var mixed = matmul(weights, v);
        using var heads = mixed.transpose(1, 2);
        using var joined = heads.reshape(batch, tokens, dim);
        return _proj.forward(joined);
    }
}
