using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>FaceLiVT's FFN: Conv1×1-BN <c>pw1</c> to the hidden width, exact GELU, Conv1×1-BN <c>pw2</c> back.</summary>
internal sealed class Ffn : ReferenceModule
{
    private readonly ConvBn _pw1;
    private readonly ConvBn _pw2;

    /// <summary>Creates the FFN of width <paramref name="dim"/> with <paramref name="hidden"/> hidden channels.</summary>
    public Ffn(int dim, int hidden) : base(nameof(Ffn))
    {
        _pw1 = new ConvBn(dim, hidden);
        _pw2 = new ConvBn(hidden, dim);
        register_module("pw1", _pw1);
        register_module("pw2", _pw2);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var h = _pw1.forward(input);
        using var a = nn.functional.gelu(h);
        return _pw2.forward(a);
    }
}
