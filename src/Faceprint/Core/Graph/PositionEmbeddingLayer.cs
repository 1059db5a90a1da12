using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Adds a learned per-token, per-channel embedding (one H×W×C table) to every image.</summary>
public sealed class PositionEmbeddingLayer : Layer
{
    private readonly float[] _embedding;

    /// <summary>Creates the layer from a table of <paramref name="tokens"/> × <paramref name="channels"/> values (token-major).</summary>
    public PositionEmbeddingLayer(string name, int input, int output, float[] embedding, int tokens, int channels) : base(name, [input], output)
    {
        if (embedding.Length != tokens * channels)
            throw new ModelFormatException($"{name}: embedding has {embedding.Length} values, expected {tokens}x{channels}");
        _embedding = embedding;
        Tokens = tokens;
        Channels = channels;
    }

    /// <summary>Tokens (H·W) the table covers.</summary>
    public int Tokens { get; }

    /// <summary>Channels per token.</summary>
    public int Channels { get; }

    /// <summary>The table, token-major.</summary>
    public IReadOnlyList<float> Embedding => _embedding;

    /// <inheritdoc />
    public override long ParameterCount => _embedding.Length;

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.H * s.W != Tokens || s.C != Channels)
            throw new InvalidOperationException($"{Name}: input {s} does not match a {Tokens}x{Channels} position table");
        return s;
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var input = args.Input(0);
        var output = args.Output;
        for (int offset = 0; offset < output.Length; offset += _embedding.Length)
            VectorMath.Add(input.Slice(offset, _embedding.Length), _embedding, output.Slice(offset, _embedding.Length));
    }
}
