using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>x + m(x), with the wrapped module registered as <c>m</c> as in FaceLiVT's <c>Residual</c>.</summary>
internal sealed class Residual : ReferenceModule
{
    private readonly nn.Module<Tensor, Tensor> _m;

    /// <summary>Wraps <paramref name="m"/>.</summary>
    public Residual(nn.Module<Tensor, Tensor> m) : base(nameof(Residual))
    {
        _m = m;
        register_module("m", m);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var branch = _m.forward(input);
        return input + branch;
    }
}
