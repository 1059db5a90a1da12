using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Dense 2-D convolution with bias and a fused activation. A 1×1 stride-1 conv runs as a GEMM.</summary>
public sealed class Conv2dLayer : Layer
{
    private readonly float[] _packed;
    private readonly float[] _bias;

    /// <summary>The kernel as given, [cout, cin, k, k] (exporters read this; the packed copy is private).</summary>
    public IReadOnlyList<float> Weight { get; }

    /// <summary>Per-output-channel bias.</summary>
    public IReadOnlyList<float> Bias => _bias;

    /// <summary>Builds the layer from a [cout, cin, k, k] kernel; the kernel is packed here, once.</summary>
    public Conv2dLayer(string name, int input, int output, ReadOnlySpan<float> weight, float[] bias, int inChannels, int kernel,
        int stride, Padding padding, Activation activation) : base(name, [input], output)
    {
        OutChannels = bias.Length;
        InChannels = inChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Activation = activation;
        if (weight.Length != OutChannels * inChannels * kernel * kernel)
            throw new ModelFormatException($"{name}: kernel has {weight.Length} values, expected {OutChannels}x{inChannels}x{kernel}x{kernel}");
        _packed = Conv2dKernel.Pack(weight, OutChannels, inChannels, kernel, kernel);
        Weight = weight.ToArray();
        _bias = bias;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; }

    /// <summary>Padding rule.</summary>
    public Padding Padding { get; }

    /// <summary>Fused activation.</summary>
    public Activation Activation { get; }

    private bool IsPointwise => Kernel == 1 && Stride == 1 && (Padding.Mode != PaddingMode.Explicit || Padding.Amount == 0);

    /// <inheritdoc />
    public override long ParameterCount => Weight.Count + _bias.Length + (Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.C != InChannels) throw new InvalidOperationException($"{Name}: input has {s.C} channels, expected {InChannels}");
        var g = Geometry(s);
        if (g.OutH <= 0 || g.OutW <= 0) throw new InvalidOperationException($"{Name}: input {s} too small for a {Kernel}x{Kernel} kernel");
        return new TensorShape(s.N, g.OutH, g.OutW, OutChannels);
    }

    internal ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, OutChannels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs)
    {
        var o = InferShape(inputs);
        return (long)o.Pixels * OutChannels * InChannels * Kernel * Kernel;
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var inShape = args.InputShape(0);
        var outShape = args.OutputShape;
        float[] input = args.InputArray(0), output = args.OutputArray;
        int inSize = inShape.Size, outSize = outShape.Size;
        if (IsPointwise)
        {
            int rows = inShape.Pixels;
            RowParallel.For(rows, (long)InChannels * OutChannels, args.Threads, (start, end) =>
            {
                Gemm.Run(input.AsSpan(0, inSize), _packed, _bias, output.AsSpan(0, outSize), InChannels, OutChannels, start, end);
                Activation.Apply(output.AsSpan(start * OutChannels, (end - start) * OutChannels), OutChannels);
            });
            return;
        }
        var g = Geometry(inShape);
        int rowsOut = outShape.N * outShape.H;
        int rowLength = outShape.W * OutChannels;
        RowParallel.For(rowsOut, (long)rowLength * InChannels * Kernel * Kernel, args.Threads, (start, end) =>
        {
            Conv2dKernel.Run(input.AsSpan(0, inSize), _packed, _bias, output.AsSpan(0, outSize), g, start, end);
            Activation.Apply(output.AsSpan(start * rowLength, (end - start) * rowLength), OutChannels);
        });
    }
}
