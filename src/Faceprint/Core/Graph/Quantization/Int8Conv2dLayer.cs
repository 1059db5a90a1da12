using System.Runtime.InteropServices;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// A dense k×k convolution (any square kernel, stride and padding: an embedder's stem, MTCNN's convs) run in 8 bits by
/// <see cref="Int8Conv"/>: float NHWC in, quantized with the calibrated input parameters, u8·s8 sums over gathered
/// receptive fields, fused float epilogue (bias, activation, optional residual) out. A conv over few input channels (the
/// RGB stems) runs on <see cref="Int8StemConv"/> instead, which reads interleaved input rows in place (same sums, same
/// bits) and, when its only reader is an int8 layer taking per-channel codes, writes those codes
/// (<see cref="OutputCodes"/>). 1×1 stride-1 convs use the leaner <see cref="Int8PointwiseConvLayer"/>.
/// </summary>
public sealed class Int8Conv2dLayer : Layer, IRowTask
{
    // The same codes packed in Int8StemConv's (kx, ky, ci) K order, for the few-channel convs it runs (null otherwise).
    private readonly Int8GemmWeights? _band;
    private readonly StemConvCodes? _codes;

    /// <summary>Creates the layer from weights whose K runs over (ky, kx, ci) (<see cref="Int8Conv.ToGemmOrder{T}"/>).</summary>
    public Int8Conv2dLayer(string name, int input, int? residual, int output, Int8GemmWeights weights, IReadOnlyList<float> bias,
        int inChannels, int kernel, int stride, Padding padding)
        : base(name, residual is { } r ? [input, r] : [input], output)
    {
        if (weights.K != inChannels * kernel * kernel) throw new ArgumentException($"{name}: weights have K {weights.K}, a {kernel}x{kernel} kernel over {inChannels} channels needs {inChannels * kernel * kernel}");
        if (bias.Count != weights.N) throw new ArgumentException($"{name}: {bias.Count} biases for {weights.N} outputs");
        Weights = weights;
        Bias = bias;
        Residual = residual;
        InChannels = inChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        if (inChannels <= StemConvKernel.MaxInChannels)
            _band = new Int8GemmWeights(Int8StemConv.ToBandOrder<sbyte>(weights.Codes.ToArray(), weights.N, inChannels, kernel, kernel), weights.WeightScales.ToArray(),
                weights.K, weights.N, bias.ToArray(), weights.Activation, weights.Input, weights.Isa);
    }

    private Int8Conv2dLayer(Int8Conv2dLayer conv, int output, StemConvCodes codes)
        : base(conv.Name, conv.Inputs.ToArray(), output)
    {
        Weights = conv.Weights;
        Bias = conv.Bias;
        Residual = conv.Residual;
        InChannels = conv.InChannels;
        Kernel = conv.Kernel;
        Stride = conv.Stride;
        Padding = conv.Padding;
        _band = conv._band;
        _codes = codes;
    }

    /// <summary>
    /// The u8 code parameters of each output channel when the conv writes codes (one byte per element, for an int8
    /// reader), else null (floats).
    /// </summary>
    public IReadOnlyList<QuantParams>? OutputCodes => _codes?.Channels;

    /// <summary>True when the conv can write codes (<see cref="WithOutputCodes"/>): it runs on <see cref="Int8StemConv"/> at any input size and adds no residual.</summary>
    internal bool CanWriteCodes => _band is not null && Residual is null && !ConvGeometry.IsPointwiseAtAnySize(Kernel, Stride, Padding);

    /// <summary>The same conv writing its output channel c as codes of <paramref name="channels"/>[c] into <paramref name="output"/>.</summary>
    internal Int8Conv2dLayer WithOutputCodes(IReadOnlyList<QuantParams> channels, int output)
    {
        if (!CanWriteCodes) throw new InvalidOperationException($"{Name}: only a few-channel conv writes codes");
        if (channels.Count != OutChannels) throw new ArgumentException($"{Name}: {channels.Count} code parameters for {OutChannels} channels");
        return new Int8Conv2dLayer(this, output, new StemConvCodes(channels));
    }

    /// <summary>
    /// The int8 form of <paramref name="conv"/> with input parameters <paramref name="input"/>; <paramref name="stored"/>
    /// holds already-quantized weights in the model file's [cout, cin, k, k] order (else the fp32 kernel is quantized).
    /// </summary>
    public static Int8Conv2dLayer FromConv(Conv2dLayer conv, QuantParams input, Int8Isa isa, QuantizedTensor? stored = null)
    {
        int n = conv.OutChannels, cin = conv.InChannels, k = conv.Kernel;
        var bias = conv.Bias.ToArray();
        var weights = stored is not null
            ? new Int8GemmWeights(Int8Conv.ToGemmOrder<sbyte>(stored.Codes, n, cin, k, k), stored.Scales, cin * k * k, n, bias, conv.Activation, input, isa)
            : Int8GemmWeights.FromFloat(Int8Conv.ToGemmOrder<float>(conv.Weight.ToArray(), n, cin, k, k), cin * k * k, n, bias, conv.Activation, input, isa);
        return new Int8Conv2dLayer(conv.Name, conv.Inputs[0], conv.Residual, conv.Output, weights, conv.Bias, cin, k, conv.Stride, conv.Padding);
    }

    /// <summary>The packed int8 weights ([cout, (ky, kx, ci)]), their scales, the input quantization and the epilogue.</summary>
    public Int8GemmWeights Weights { get; }

    /// <summary>Per-output-channel float bias (the weights hold it folded with the zero-point term; exporters read this).</summary>
    public IReadOnlyList<float> Bias { get; }

    /// <summary>Value added after the activation, else null.</summary>
    public int? Residual { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels => Weights.N;

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; }

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; }

    /// <summary>Padding rule.</summary>
    public Padding Padding { get; }

    /// <inheritdoc />
    public override long ParameterCount => (long)Weights.K * Weights.N + Weights.N + (Weights.Activation.Slopes?.Length ?? 0);

    private ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, OutChannels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => Conv2dLayer.ConvShape(Name, inputs, InChannels, OutChannels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => (long)InferShape(inputs).Pixels * Weights.K * Weights.N;

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) => (ScratchBytes(Geometry(inputs[0])) + 3) / 4;

    private int ScratchBytes(in ConvGeometry g) => _band is not null && Int8StemConv.Supports(g) ? Int8StemConv.ScratchBytes(g, _band) : Int8Conv.ScratchBytes(g, Weights);

    /// <inheritdoc />
    public override void Run(LayerArgs args) => args.ForRows(this, args.OutputShape.Pixels, (long)Weights.K * Weights.N / 2, grain: 84);

    /// <inheritdoc />
    public void RunRows(in LayerArgs args, int start, int end)
    {
        var g = Geometry(args.InputShape(0));
        var scratch = MemoryMarshal.AsBytes(args.Scratch((ScratchBytes(g) + 3) / 4));
        var residual = Residual is null ? default : args.Input(1);
        if (_band is null || !Int8StemConv.Supports(g))
        {
            if (_codes is not null) throw new InvalidOperationException($"{Name}: codes need the few-channel conv kernel");
            Int8Conv.Run(args.Input(0), g, Weights, args.Output, start, end, scratch, residual);
            return;
        }
        if (_codes is null)
        {
            Int8StemConv.Run(args.Input(0), g, _band, args.Output, start, end, scratch, residual);
            return;
        }
        // Codes go into the value's floats one byte per element, as every int8 layer's code output does.
        Int8StemConv.RunCodes(args.Input(0), g, _band, _codes, MemoryMarshal.AsBytes(args.OutputArray.AsSpan()), start, end, scratch);
    }
}
