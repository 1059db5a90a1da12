using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Softmax over channels at every position.</summary>
public sealed class SoftmaxLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public SoftmaxLayer(string name, int input, int output) : base(name, [input], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        args.Input(0).CopyTo(args.Output);
        SoftmaxKernel.Run(args.Output, args.OutputShape.C);
    }
}
