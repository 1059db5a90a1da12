using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Dense 2-D convolution with bias and a fused activation, run as a GEMM over output pixels: a 1×1 stride-1 conv
/// reads the NHWC input directly as A; any other conv gathers tiles of receptive fields first (<see cref="Im2Col"/>).
/// After <see cref="Optimization.ResidualFusion"/> it may also add a residual input in the GEMM epilogue.
/// </summary>
public sealed class Conv2dLayer : Layer, IRowTask
{
    // Output pixels per im2col tile: a multiple of the 12-row micro-tile; the tile's rows stay in L1/L2.
    private const int TileTargetFloats = 12 * 1024;
    private readonly GemmWeights _gemm;
    private readonly float[] _bias;
    // Weights of the GEMM that runs after this conv (set by graph optimisation), whose first panel this one prefetches.
    private readonly GemmWeights? _next;

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
        _gemm = GemmWeights.FromConvKernel(weight, OutChannels, inChannels, kernel, kernel, bias, activation, KernelIsas.Best);
        Weight = weight.ToArray();
        _bias = bias;
    }

    /// <summary>
    /// The same conv (sharing its packed weights) with <paramref name="gemm"/>'s activation, adding value
    /// <paramref name="residual"/> (if any) and writing <paramref name="output"/>.
    /// </summary>
    private Conv2dLayer(Conv2dLayer conv, GemmWeights gemm, int? residual, int output, GemmWeights? next = null)
        : base(conv.Name, residual is { } r ? [conv.Inputs[0], r] : [conv.Inputs[0]], output)
    {
        _next = next;
        OutChannels = conv.OutChannels;
        InChannels = conv.InChannels;
        Kernel = conv.Kernel;
        Stride = conv.Stride;
        Padding = conv.Padding;
        Activation = gemm.Activation;
        _gemm = gemm;
        Weight = conv.Weight;
        _bias = conv._bias;
        Residual = residual;
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

    /// <summary>Value added after the activation (set only by graph optimisation), else null.</summary>
    public int? Residual { get; }

    internal Conv2dLayer WithResidual(int residual, int output) => new(this, _gemm, residual, output, _next);

    /// <summary>The same conv with <paramref name="activation"/> applied in its epilogue, writing <paramref name="output"/>.</summary>
    internal Conv2dLayer WithActivation(Activation activation, int output) => new(this, _gemm.WithActivation(activation), Residual, output, _next);

    /// <summary>The same conv, prefetching the first panel of <paramref name="next"/>'s weights while its own last panel computes.</summary>
    internal Conv2dLayer WithNext(Conv2dLayer next) => new(this, _gemm, Residual, Output, next._gemm);

    /// <summary>The weights this conv prefetches for the layer after it (null: none).</summary>
    internal GemmWeights? NextWeights => _next;

    /// <summary>This conv's packed weights.</summary>
    internal GemmWeights PackedWeights => _gemm;

    /// <inheritdoc />
    public override long ParameterCount => Weight.Count + _bias.Length + (Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => ConvShape(Name, inputs, InChannels, OutChannels, Kernel, Stride, Padding);

    /// <summary>
    /// The output shape of a dense conv (fp32 or int8) on <paramref name="inputs"/>: the input's channel count checked, the
    /// map big enough for the kernel, and an optional second input (the residual) of exactly the output's shape.
    /// </summary>
    internal static TensorShape ConvShape(string name, ReadOnlySpan<TensorShape> inputs, int inChannels, int outChannels, int kernel, int stride, Padding padding)
    {
        var s = inputs[0];
        if (s.C != inChannels) throw new InvalidOperationException($"{name}: input has {s.C} channels, expected {inChannels}");
        var g = ConvGeometry.Square(s, outChannels, kernel, stride, padding);
        if (g.OutH <= 0 || g.OutW <= 0) throw new InvalidOperationException($"{name}: input {s} too small for a {kernel}x{kernel} kernel");
        var o = new TensorShape(s.N, g.OutH, g.OutW, outChannels);
        if (inputs.Length > 1 && inputs[1] != o) throw new InvalidOperationException($"{name}: cannot add {inputs[1]} to {o}");
        return o;
    }

    internal ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, OutChannels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs)
    {
        var o = InferShape(inputs);
        return (long)o.Pixels * OutChannels * InChannels * Kernel * Kernel;
    }

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) =>
        Geometry(inputs[0]).IsPointwise ? 0 : TilePixels(_gemm.K) * _gemm.K;

    private static int TilePixels(int k) => Math.Max(12, TileTargetFloats / k / 12 * 12);

    /// <inheritdoc />
    public override void Run(LayerArgs args) =>
        args.ForRows(this, args.OutputShape.Pixels, (long)_gemm.K * OutChannels, grain: 12);

    /// <inheritdoc />
    public unsafe void RunRows(in LayerArgs args, int start, int end)
    {
        var input = args.Input(0);
        var output = args.Output;
        var residual = Residual is null ? default : args.Input(1);
        var g = Geometry(args.InputShape(0));
        if (g.IsPointwise)
        {
            Gemm.Run(input, InChannels, _gemm, output, start, end, residual, _next);
            return;
        }
        int k = _gemm.K, n = OutChannels, tile = TilePixels(k);
        var rows = args.Scratch(tile * k);
        for (int p = start; p < end; p += tile)
        {
            int count = Math.Min(tile, end - p);
            Im2Col.Fill(input, g, p, p + count, rows);
            Gemm.Run(rows, k, _gemm, output.Slice(p * n, count * n), 0, count, residual.IsEmpty ? default : residual.Slice(p * n, count * n),
                p + count >= end ? _next : null);
        }
    }
}
