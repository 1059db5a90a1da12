using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Depthwise convolution (groups = channels) with bias and a fused activation.</summary>
public sealed class DepthwiseConv2dLayer : Layer, IRowTask
{
    private readonly DepthwiseWeights _packed;
    private readonly float[] _bias;
    private readonly KernelIsa _isa = KernelIsas.Best;

    /// <summary>The kernel as given, [c, 1, k, k] (exporters read this; the packed copy is private).</summary>
    public IReadOnlyList<float> Weight { get; }

    /// <summary>Per-output-channel bias.</summary>
    public IReadOnlyList<float> Bias => _bias;

    /// <summary>Builds the layer from a [c, 1, k, k] kernel, packed here once.</summary>
    public DepthwiseConv2dLayer(string name, int input, int output, ReadOnlySpan<float> weight, float[] bias, int kernel,
        int stride, Padding padding, Activation activation) : base(name, [input], output)
    {
        Channels = bias.Length;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Activation = activation;
        if (weight.Length != Channels * kernel * kernel)
            throw new ModelFormatException($"{Name}: kernel has {weight.Length} values, expected {Channels}x1x{kernel}x{kernel}");
        _packed = new DepthwiseWeights(weight, Channels, kernel, kernel, bias, activation);
        Weight = weight.ToArray();
        _bias = bias;
    }

    /// <summary>Channels in and out.</summary>
    public int Channels { get; }

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; }

    /// <summary>Padding rule.</summary>
    public Padding Padding { get; }

    /// <summary>Fused activation.</summary>
    public Activation Activation { get; }

    private ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, Channels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override long ParameterCount => Weight.Count + _bias.Length + (Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.C != Channels) throw new InvalidOperationException($"{Name}: input has {s.C} channels, expected {Channels}");
        var g = Geometry(s);
        if (g.OutH <= 0 || g.OutW <= 0) throw new InvalidOperationException($"{Name}: input {s} too small for a {Kernel}x{Kernel} kernel");
        return new TensorShape(s.N, g.OutH, g.OutW, Channels);
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => (long)InferShape(inputs).Size * Kernel * Kernel;

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        args.ForRows(this, o.N * o.H, (long)o.W * Channels * Kernel * Kernel);
    }

    /// <inheritdoc />
    public void RunRows(in LayerArgs args, int start, int end) =>
        DepthwiseConvKernel.Run(args.Input(0), _packed, args.Output, Geometry(args.InputShape(0)), start, end, _isa);
}
