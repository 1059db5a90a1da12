using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// A depthwise convolution run in 8 bits (<see cref="Int8DepthwiseKernel"/>): it reads its input as u8 codes of the
/// weights' input parameters (written by an int8 producer or an <see cref="Int8QuantizeLayer"/>) and writes floats, or
/// u8 codes of <see cref="OutputCodes"/> when its consumers are int8 layers.
/// </summary>
public sealed class Int8DepthwiseConvLayer : Layer, IRowTask
{
    /// <summary>Creates the layer reading codes from <paramref name="input"/> into <paramref name="output"/>.</summary>
    public Int8DepthwiseConvLayer(string name, int input, int output, Int8DepthwiseWeights weights, IReadOnlyList<float> bias, int stride,
        Padding padding, QuantParams? outputCodes) : base(name, [input], output)
    {
        if (bias.Count != weights.Channels) throw new ArgumentException($"{name}: {bias.Count} biases for {weights.Channels} channels");
        Weights = weights;
        Bias = bias;
        Stride = stride;
        Padding = padding;
        OutputCodes = outputCodes;
    }

    /// <summary>The packed int8 kernel, its scales, the input quantization and the epilogue.</summary>
    public Int8DepthwiseWeights Weights { get; }

    /// <summary>Per-channel float bias (folded with the zero-point term in the weights; exporters read this).</summary>
    public IReadOnlyList<float> Bias { get; }

    /// <summary>Square kernel side.</summary>
    public int Kernel => Weights.Kernel;

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; }

    /// <summary>Padding rule.</summary>
    public Padding Padding { get; }

    /// <summary>The output's quantization when it is written as u8 codes, else null (floats).</summary>
    public QuantParams? OutputCodes { get; }

    private ConvGeometry Geometry(TensorShape s) => ConvGeometry.Square(s, Weights.Channels, Kernel, Stride, Padding);

    /// <inheritdoc />
    public override long ParameterCount => (long)Weights.Channels * Kernel * Kernel + Weights.Channels + (Weights.Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.C != Weights.Channels) throw new InvalidOperationException($"{Name}: input has {s.C} channels, expected {Weights.Channels}");
        var g = Geometry(s);
        if (g.OutH <= 0 || g.OutW <= 0) throw new InvalidOperationException($"{Name}: input {s} too small for a {Kernel}x{Kernel} kernel");
        return new TensorShape(s.N, g.OutH, g.OutW, Weights.Channels);
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => (long)InferShape(inputs).Size * Kernel * Kernel;

    // Codes live in a value's float buffer, which has 3 spare bytes per code: enough read slack unless the tensor is tiny.
    private static bool NeedsCopy(TensorShape input) => 3L * input.Size < Int8DepthwiseKernel.InputSlack;

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) =>
        NeedsCopy(inputs[0]) ? (inputs[0].Size + Int8DepthwiseKernel.InputSlack + 3) / 4 : 0;

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var o = args.OutputShape;
        args.ForRows(this, o.N * o.H, (long)o.W * Weights.Channels * Kernel * Kernel / 2);
    }

    /// <inheritdoc />
    public unsafe void RunRows(in LayerArgs args, int start, int end)
    {
        var shape = args.InputShape(0);
        var g = Geometry(shape);
        fixed (float* input = args.InputArray(0))
        fixed (float* output = args.OutputArray)
        {
            byte* codes = (byte*)input;
            if (NeedsCopy(shape))
            {
                var scratch = args.Scratch(ScratchFloats([shape]));
                fixed (float* copy = scratch)
                {
                    new ReadOnlySpan<byte>(codes, shape.Size).CopyTo(new Span<byte>(copy, shape.Size));
                    Run((byte*)copy, g, start, end, output);
                }
                return;
            }
            Run(codes, g, start, end, output);
        }
    }

    private unsafe void Run(byte* codes, in ConvGeometry g, int start, int end, float* output)
    {
        if (OutputCodes is { } q) Int8DepthwiseKernel.Run(codes, Weights, g, start, end, null, (byte*)output, q);
        else Int8DepthwiseKernel.Run(codes, Weights, g, start, end, output, null, default);
    }
}
