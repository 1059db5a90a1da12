using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.Blocks;

/// <summary>
/// A module that only gives its one child a name in the state_dict (the reference code's plain containers, such as
/// FaceLiVT's <c>stem</c>, <c>blocks</c> and <c>block</c> attributes) and runs it.
/// </summary>
internal sealed class NamedChild : ReferenceModule
{
    private readonly nn.Module<Tensor, Tensor> _child;

    /// <summary>Registers <paramref name="child"/> as <paramref name="childName"/>.</summary>
    public NamedChild(string childName, nn.Module<Tensor, Tensor> child) : base(nameof(NamedChild))
    {
        _child = child;
        register_module(childName, child);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _child.forward(input);
}
