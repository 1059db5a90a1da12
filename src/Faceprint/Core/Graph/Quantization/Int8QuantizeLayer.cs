using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// Float → u8 codes of <see cref="Params"/> (rounding as every int8 kernel does), where an int8 layer that reads codes
/// follows a float producer (the depthwise conv after an fp32 stem). The codes fill the first bytes of the value's buffer.
/// </summary>
public sealed class Int8QuantizeLayer : Layer, IRowTask
{
    private const int Grain = 4096;

    /// <summary>Creates the layer quantizing <paramref name="input"/> into <paramref name="output"/>.</summary>
    public Int8QuantizeLayer(string name, int input, int output, QuantParams quantization) : base(name, [input], output)
    {
        Params = quantization;
    }

    /// <summary>The codes' quantization.</summary>
    public QuantParams Params { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args) => args.ForRows(this, (args.OutputShape.Size + Grain - 1) / Grain, Grain / 8);

    /// <inheritdoc />
    public unsafe void RunRows(in LayerArgs args, int start, int end)
    {
        int size = args.OutputShape.Size, from = start * Grain, to = Math.Min(size, end * Grain);
        fixed (float* input = args.InputArray(0))
        fixed (float* output = args.OutputArray)
            Int8Quantize.Bytes(input + from, to - from, 1f / Params.Scale, Params.ZeroPoint, (byte*)output + from);
    }
}
