using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>ReLU6, element-wise.</summary>
public sealed class Relu6Layer : Layer
{
    /// <summary>Creates the layer.</summary>
    public Relu6Layer(string name, int input, int output) : base(name, [input], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args) => Relu6Kernel.Apply(args.Input(0), args.Output);
}
