using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Mean over all positions: N×H×W×C → N×1×1×C.</summary>
public sealed class GlobalAveragePoolLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    public GlobalAveragePoolLayer(string name, int input, int output) : base(name, [input], output) { }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0] with { H = 1, W = 1 };

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var s = args.InputShape(0);
        GlobalAveragePoolKernel.Run(args.Input(0), args.Output, s.H * s.W, s.C, 0, s.N);
    }
}
