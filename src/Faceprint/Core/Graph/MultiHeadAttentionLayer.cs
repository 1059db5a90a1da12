using System.Buffers;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Softmax self-attention over all H·W tokens of an image, per head, reading q, k, v from one fused projection
/// laid out as <see cref="Layout"/> says; output N×H×W×(heads·value width). Projections in and out are ordinary
/// 1×1 convs around it.
/// </summary>
public sealed class MultiHeadAttentionLayer : Layer
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
    public override void Run(LayerArgs args)
    {
        var shape = args.InputShape(0);
        float[] input = args.InputArray(0), output = args.OutputArray;
        int tokens = shape.H * shape.W, rows = shape.N * Layout.Heads;
        if (args.Threads == 1) Heads(input, output, tokens, 0, rows);
        else InParallel(input, output, tokens, rows, args.Threads);
    }

    // Separate so the closure is only allocated when threads are used (captured locals are hoisted to method entry).
    private void InParallel(float[] input, float[] output, int tokens, int rows, int threads) =>
        RowParallel.For(rows, (long)tokens * tokens * (Layout.KeyDim + Layout.ValueDim), threads, (start, end) => Heads(input, output, tokens, start, end));

    /// <summary>Runs (image, head) pairs [start, end) with one rented scratch block.</summary>
    private void Heads(float[] input, float[] output, int tokens, int start, int end)
    {
        var layout = Layout;
        float[] scratch = ArrayPool<float>.Shared.Rent(layout.ScratchSize(tokens));
        try
        {
            for (int row = start; row < end; row++)
            {
                int image = row / layout.Heads, head = row % layout.Heads;
                AttentionKernel.Run(input.AsSpan(image * tokens * layout.Channels, tokens * layout.Channels),
                    output.AsSpan(image * tokens * layout.OutputChannels, tokens * layout.OutputChannels), tokens, layout, head, scratch);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
