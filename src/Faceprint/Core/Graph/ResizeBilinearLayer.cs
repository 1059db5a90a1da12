using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Bilinear resize of every channel to a fixed output size (feature-pyramid upsampling).</summary>
public sealed class ResizeBilinearLayer : Layer, IRowTask
{
    /// <summary>Creates the layer resizing to <paramref name="height"/>×<paramref name="width"/>.</summary>
    public ResizeBilinearLayer(string name, int input, int output, int height, int width, ResizeMapping mapping) : base(name, [input], output)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
        Mapping = mapping;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Coordinate mapping (corner alignment, half-pixel centres).</summary>
    public ResizeMapping Mapping { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0] with { H = Height, W = Width };

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        args.ForRows(this, o.N * o.H, (long)o.W * o.C);
    }

    /// <inheritdoc />
    public void RunRows(in LayerArgs args, int start, int end)
    {
        var s = args.InputShape(0);
        ResizeBilinearKernel.Run(args.Input(0), s.H, s.W, s.C, args.Output, Height, Width, Mapping, start, end);
    }
}
