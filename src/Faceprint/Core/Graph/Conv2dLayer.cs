using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Dense 2-D convolution with bias and a fused activation, run as a GEMM over output pixels: a 1×1 stride-1 conv
/// reads the NHWC input directly as A; a conv on few input channels (the RGB stems) reads its taps in place
/// (<see cref="StemConvKernel"/>, same packed weights, same bits); any other conv gathers tiles of receptive fields first
/// (<see cref="Im2Col"/>).
/// After <see cref="Optimization.ResidualFusion"/> it may also add a residual input in the GEMM epilogue. In an int8
/// network a few-channel conv whose only reader takes per-channel codes writes those codes itself
/// (<see cref="OutputCodes"/>), instead of floats that a quantize pass turns into codes.
/// </summary>
public sealed class Conv2dLayer : Layer, IRowTask
{
    // Output pixels per im2col tile: a multiple of the 12-row micro-tile; the tile's rows stay in L1/L2.
    private const int TileTargetFloats = 12 * 1024;
    private readonly GemmWeights _gemm;
    private readonly float[] _bias;
    private readonly StemConvCodes? _codes;
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
    private Conv2dLayer(Conv2dLayer conv, GemmWeights gemm, int? residual, int output, StemConvCodes? codes, GemmWeights? next)
        : base(conv.Name, residual is { } r ? [conv.Inputs[0], r] : [conv.Inputs[0]], output)
    {
        _codes = codes;
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

    /// <summary>
    /// The u8 code parameters of each output channel when the conv writes codes (one byte per element, for an int8
    /// reader), else null (floats).
    /// </summary>
    public IReadOnlyList<QuantParams>? OutputCodes => _codes?.Channels;

    internal Conv2dLayer WithResidual(int residual, int output) => new(this, _gemm, residual, output, _codes, _next);

    /// <summary>The same conv with <paramref name="activation"/> applied in its epilogue, writing <paramref name="output"/>.</summary>
    internal Conv2dLayer WithActivation(Activation activation, int output) => new(this, _gemm.WithActivation(activation), Residual, output, _codes, _next);

    /// <summary>True when the conv can write codes (<see cref="WithOutputCodes"/>): it runs on <see cref="StemConvKernel"/> and has no GELU.</summary>
    internal bool CanWriteCodes => InChannels <= StemConvKernel.MaxInChannels && !ConvGeometry.IsPointwiseAtAnySize(Kernel, Stride, Padding)
        && Activation.Kind != ActivationKind.Gelu;

    /// <summary>The same conv writing its output channel c as codes of <paramref name="channels"/>[c] into <paramref name="output"/>.</summary>
    internal Conv2dLayer WithOutputCodes(IReadOnlyList<QuantParams> channels, int output)
    {
        if (!CanWriteCodes) throw new InvalidOperationException($"{Name}: only a few-channel conv without GELU writes codes");
        if (channels.Count != OutChannels) throw new ArgumentException($"{Name}: {channels.Count} code parameters for {OutChannels} channels");
        return new(this, _gemm, Residual, output, new StemConvCodes(channels), _next);
    }

    /// <summary>The same conv, prefetching the first panel of <paramref name="next"/>'s weights while its own last panel computes.</summary>
    internal Conv2dLayer WithNext(Conv2dLayer next) => new(this, _gemm, Residual, Output, _codes, next._gemm);

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
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs)
    {
        var g = Geometry(inputs[0]);
        return g.IsPointwise || StemConvKernel.Supports(g) ? 0 : TilePixels(_gemm.K) * _gemm.K;
    }

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
        if (_codes is not null && !StemConvKernel.Supports(g)) throw new InvalidOperationException($"{Name}: codes need the few-channel conv kernel");
        if (g.IsPointwise)
        {
            Gemm.Run(input, InChannels, _gemm, output, start, end, residual, _next);
            return;
        }
        if (StemConvKernel.Supports(g))
        {
            // A 3-channel stem's im2col row is 27 floats: gathering it cost as much as the GEMM on it (stem 0.53–0.63× the
            // im2col + GEMM time for the FaceX, MobileFaceNet and FaceLiVT stems, 0.4–0.5× for MTCNN's first convs).
            if (_codes is null)
            {
                StemConvKernel.Run(input, g, _gemm, output, start, end, residual);
                return;
            }
            // Codes go into the value's floats one byte per element, as an int8 layer's code output does.
            fixed (float* pi = input)
            fixed (float* po = args.OutputArray)
            fixed (float* pr = residual)
                StemConvKernel.Run(pi, g, _gemm, null, residual.IsEmpty ? null : pr, _codes, (byte*)po, start, end);
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
