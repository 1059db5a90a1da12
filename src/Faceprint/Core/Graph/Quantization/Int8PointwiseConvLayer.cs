using System.Runtime.InteropServices;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// A 1×1, stride-1 convolution run in 8 bits (<see cref="Int8Gemm"/>): float NHWC in, quantized per block of pixels with
/// the calibrated input parameters, u8·s8 sums, and a fused float epilogue (bias, activation, optional residual add) out.
/// Float values between layers let int8 and fp32 layers mix freely in one graph.
/// </summary>
public sealed class Int8PointwiseConvLayer : Layer, IRowTask
{
    /// <summary>Creates the layer reading <paramref name="input"/> (and adding <paramref name="residual"/>, if any) into <paramref name="output"/>.</summary>
    public Int8PointwiseConvLayer(string name, int input, int? residual, int output, Int8GemmWeights weights, IReadOnlyList<float> bias)
        : base(name, residual is { } r ? [input, r] : [input], output)
    {
        if (bias.Count != weights.N) throw new ArgumentException($"{name}: {bias.Count} biases for {weights.N} outputs");
        Weights = weights;
        Residual = residual;
        Bias = bias;
    }

    /// <summary>Per-output-channel float bias (the weights hold it folded with the zero-point term; exporters read this).</summary>
    public IReadOnlyList<float> Bias { get; }

    /// <summary>The packed int8 weights, their scales, the input quantization and the epilogue.</summary>
    public Int8GemmWeights Weights { get; }

    /// <summary>Value added after the activation, else null.</summary>
    public int? Residual { get; }

    /// <inheritdoc />
    public override long ParameterCount => (long)Weights.K * Weights.N + Weights.N + (Weights.Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.C != Weights.K) throw new InvalidOperationException($"{Name}: input has {s.C} channels, expected {Weights.K}");
        var o = s with { C = Weights.N };
        if (inputs.Length > 1 && inputs[1] != o) throw new InvalidOperationException($"{Name}: cannot add {inputs[1]} to {o}");
        return o;
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => (long)inputs[0].Pixels * Weights.K * Weights.N;

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) => (Int8Gemm.ScratchBytes(Weights) + 3) / 4;

    /// <inheritdoc />
    public override void Run(LayerArgs args) => args.ForRows(this, args.OutputShape.Pixels, (long)Weights.K * Weights.N / 2, grain: 7);

    /// <inheritdoc />
    public void RunRows(in LayerArgs args, int start, int end)
    {
        var scratch = MemoryMarshal.AsBytes(args.Scratch((Int8Gemm.ScratchBytes(Weights) + 3) / 4));
        Int8Gemm.Run(args.Input(0), Weights.K, Weights, args.Output, start, end, scratch, Residual is null ? default : args.Input(1));
    }
}
