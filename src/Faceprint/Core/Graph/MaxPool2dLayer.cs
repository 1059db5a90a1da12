using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Max pooling with a square window.</summary>
public sealed class MaxPool2dLayer(string name, int input, int output, int kernel, int stride, Padding padding)
    : Pool2dLayer(name, input, output, kernel, stride, padding)
{
    /// <inheritdoc />
    public override void RunRows(in LayerArgs args, int start, int end) =>
        MaxPoolKernel.Run(args.Input(0), args.Output, Geometry(args.InputShape(0)), start, end);
}
