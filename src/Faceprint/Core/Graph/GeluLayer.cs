using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Exact (erf) GELU, element-wise.</summary>
public sealed class GeluLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public GeluLayer(string name, int input, int output) : base(name, [input], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args) => GeluKernel.Apply(args.Input(0), args.Output);
}
