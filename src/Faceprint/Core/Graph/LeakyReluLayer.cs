using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Leaky ReLU with one slope for every channel, element-wise (after a residual sum; a conv fuses its own as PReLU).</summary>
public sealed class LeakyReluLayer : Layer
{
    /// <summary>Creates the layer with negative-side slope <paramref name="alpha"/>.</summary>
    public LeakyReluLayer(string name, int input, int output, float alpha) : base(name, [input], output)
    {
        if (!float.IsFinite(alpha)) throw new ModelFormatException($"{name}: leaky ReLU slope {alpha} is not finite");
        Alpha = alpha;
    }

    /// <summary>Slope for negative inputs.</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args) => LeakyReluKernel.Apply(args.Input(0), args.Output, Alpha);
}
