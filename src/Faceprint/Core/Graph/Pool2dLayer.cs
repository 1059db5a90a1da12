using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Pooling with a square window over NHWC rows; subclasses say how a window reduces.</summary>
public abstract class Pool2dLayer : Layer, IRowTask
{
    /// <summary>Creates the layer.</summary>
    protected Pool2dLayer(string name, int input, int output, int kernel, int stride, Padding padding) : base(name, [input], output)
    {
        if (kernel < 1 || stride < 1) throw new ModelFormatException($"{name}: pool window {kernel} and stride {stride} must be positive");
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>Window size.</summary>
    public int Kernel { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding rule.</summary>
    public Padding Padding { get; }

    private protected ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, s.C, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var g = Geometry(inputs[0]);
        if (g.OutH <= 0 || g.OutW <= 0) throw new InvalidOperationException($"{Name}: input {inputs[0]} too small to pool");
        return new TensorShape(inputs[0].N, g.OutH, g.OutW, inputs[0].C);
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        args.ForRows(this, o.N * o.H, (long)o.W * o.C * Kernel * Kernel / 4);
    }

    /// <inheritdoc />
    public abstract void RunRows(in LayerArgs args, int start, int end);
}
