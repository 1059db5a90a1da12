using System.Runtime.InteropServices;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// A 1×1, stride-1 convolution run in 8 bits (<see cref="Int8Gemm"/>): NHWC in, as floats quantized per block of pixels
/// with the calibrated input parameters or as u8 codes an int8 producer wrote, u8·s8 sums, and a fused float epilogue
/// (bias, activation, optional float residual add) out as floats or, for int8 consumers, requantized u8 codes.
/// </summary>
public sealed class Int8PointwiseConvLayer : Layer, IRowTask
{
    /// <summary>Creates the layer reading <paramref name="input"/> (and adding <paramref name="residual"/>, if any) into <paramref name="output"/>.</summary>
    /// <remarks>
    /// <paramref name="inputCodes"/>: the input is already u8 codes of the weights' input parameters (an int8 producer
    /// wrote them), so no quantization pass runs. <paramref name="outputCodes"/>: write u8 codes of these parameters (the
    /// consumers' input quantization) instead of floats.
    /// </remarks>
    public Int8PointwiseConvLayer(string name, int input, int? residual, int output, Int8GemmWeights weights, IReadOnlyList<float> bias,
        bool inputCodes = false, QuantParams? outputCodes = null)
        : base(name, residual is { } r ? [input, r] : [input], output)
    {
        if (bias.Count != weights.N) throw new ArgumentException($"{name}: {bias.Count} biases for {weights.N} outputs");
        Weights = weights;
        Residual = residual;
        Bias = bias;
        InputCodes = inputCodes;
        OutputCodes = outputCodes;
    }

    /// <summary>The input is read as u8 codes of <see cref="Int8GemmWeights.Input"/> (written by an int8 producer), not floats.</summary>
    public bool InputCodes { get; }

    /// <summary>The output's quantization when it is written as u8 codes, else null (floats).</summary>
    public QuantParams? OutputCodes { get; }

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
    public unsafe void RunRows(in LayerArgs args, int start, int end)
    {
        var scratch = MemoryMarshal.AsBytes(args.Scratch((Int8Gemm.ScratchBytes(Weights) + 3) / 4));
        // Codes sit in the first bytes of a value's float buffer, whose spare bytes cover the GEMM's 4-byte row reads.
        fixed (float* input = args.InputArray(0))
        fixed (float* output = args.OutputArray)
        fixed (float* residual = Residual is null ? default : args.Input(1))
        fixed (byte* s = scratch)
        {
            Int8Gemm.RunUnchecked(InputCodes ? null : input, InputCodes ? (byte*)input : null, Weights.K, Weights,
                OutputCodes is null ? output : null, OutputCodes is null ? null : (byte*)output, OutputCodes ?? default, residual, start, end, s);
        }
    }
}
