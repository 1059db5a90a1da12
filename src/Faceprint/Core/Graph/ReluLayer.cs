using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>ReLU, element-wise (after a residual sum; a conv's own ReLU is fused into the conv).</summary>
public sealed class ReluLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public ReluLayer(string name, int input, int output) : base(name, [input], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args) => ReluKernel.Apply(args.Input(0), args.Output);
}
