using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Softmax self-attention over all H·W tokens of an image, per head, reading q, k, v from one fused projection
/// laid out as <see cref="Layout"/> says; output N×H×W×(heads·value width). Projections in and out are ordinary
/// 1×1 convs around it.
/// </summary>
public sealed class MultiHeadAttentionLayer : Layer, IRowTask
{
    /// <summary>Creates the layer.</summary>
    public MultiHeadAttentionLayer(string name, int input, int output, AttentionLayout layout) : base(name, [input], output)
    {
        Layout = layout;
    }

    /// <summary>Where each head's q, k, v sit.</summary>
    public AttentionLayout Layout { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].C != Layout.Channels) throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {Layout.Channels}");
        return inputs[0] with { C = Layout.OutputChannels };
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs)
    {
        long tokens = inputs[0].H * inputs[0].W;
        return inputs[0].N * Layout.Heads * tokens * tokens * (Layout.KeyDim + Layout.ValueDim);
    }

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) => ScratchFloats(inputs[0].H * inputs[0].W);

    // The transposed kernel (value width a register multiple) and the general one need different scratch; the one that runs decides.
    private int ScratchFloats(int tokens) =>
        TransposedAttentionKernel.Fits(Layout, KernelIsas.Best) ? TransposedAttentionKernel.ScratchSize(tokens, Layout, KernelIsas.Best) : Layout.ScratchSize(tokens);

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var shape = args.InputShape(0);
        int tokens = shape.H * shape.W;
        args.ForRows(this, shape.N * Layout.Heads, (long)tokens * tokens * (Layout.KeyDim + Layout.ValueDim));
    }

    /// <summary>Attends (image, head) pairs [start, end), numbered image-major.</summary>
    public void RunRows(in LayerArgs args, int start, int end)
    {
        var shape = args.InputShape(0);
        int tokens = shape.H * shape.W;
        var layout = Layout;
        bool transposed = TransposedAttentionKernel.Fits(layout, KernelIsas.Best);
        var scratch = args.Scratch(ScratchFloats(tokens));
        var input = args.Input(0);
        var output = args.Output;
        for (int row = start; row < end; row++)
        {
            int image = row / layout.Heads, head = row % layout.Heads;
            if (transposed)
            {
                TransposedAttentionKernel.Run(input.Slice(image * tokens * layout.Channels, tokens * layout.Channels),
                    output.Slice(image * tokens * layout.OutputChannels, tokens * layout.OutputChannels), tokens, layout, head, scratch, KernelIsas.Best);
                continue;
            }
            AttentionKernel.Run(input.Slice(image * tokens * layout.Channels, tokens * layout.Channels),
                output.Slice(image * tokens * layout.OutputChannels, tokens * layout.OutputChannels), tokens, layout, head, scratch);
        }
    }
}
