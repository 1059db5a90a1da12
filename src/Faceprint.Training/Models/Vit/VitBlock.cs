using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Vit;

/// <summary>
/// A pre-LN transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)) with the MLP <c>mlp.fc1</c> → ReLU6 →
/// <c>mlp.fc2</c>. Submodules are registered in the reference's order (norm1, norm2, attn, mlp).
/// </summary>
internal sealed class VitBlock : ReferenceModule
{
    private const double LayerNormEpsilon = 1e-5;

    private readonly LayerNorm _norm1;
    private readonly LayerNorm _norm2;
    private readonly VitAttention _attn;
    private readonly Sequential _mlp;

    /// <summary>Creates a block of width <paramref name="dim"/>.</summary>
    public VitBlock(int dim, int heads, int hidden) : base(nameof(VitBlock))
    {
        _norm1 = nn.LayerNorm(dim, LayerNormEpsilon);
        _norm2 = nn.LayerNorm(dim, LayerNormEpsilon);
        _attn = new VitAttention(dim, heads);
        _mlp = nn.Sequential(("fc1", nn.Linear(dim, hidden)), ("act", nn.ReLU6()), ("fc2", nn.Linear(hidden, dim)));
        register_module("norm1", _norm1);
        register_module("norm2", _norm2);
        register_module("attn", _attn);
        register_module("mlp", _mlp);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var n1 = _norm1.forward(input);
        using var a = _attn.forward(n1);
        using var x = input + a;
        using var n2 = _norm2.forward(x);
        using var m = _mlp.forward(n2);
        return x + m;
    }
}
