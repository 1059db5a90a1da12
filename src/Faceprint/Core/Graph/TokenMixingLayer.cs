using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// FaceLiVT's multi-head linear attention body: per head, Linear(N → e·N) → GELU → Linear(e·N → N) along the
/// token axis of that head's channel block, outputs interleaved back onto the channels (head h's channel j →
/// channel j·heads + h; see <see cref="TokenMixingKernel"/>). The token count N is fixed by the weights, so
/// the layer only accepts the resolution it was trained at.
/// </summary>
public sealed class TokenMixingLayer : Layer, IRowTask
{
    // One image runs from the stream; the packed-GEMM forms of a batch run layer by layer are laid out on first use
    // (sessions run FaceLiVT-sized images one by one, so they never need them and the weights are not held twice more).
    private readonly TokenMixingStream _stream;
    private readonly Lazy<TokenMixingWeights[]> _heads;
    private readonly float[][] _bias1;
    private readonly float[][] _bias2;

    /// <summary>
    /// Creates the layer from per-head weights as PyTorch stores them: first [hidden, tokens] with bias [hidden],
    /// second [tokens, hidden] with bias [tokens]. They are laid out for the kernels here, once (<see cref="TokenMixingStream"/>;
    /// <see cref="TokenMixingWeights"/> on the first batch run layer by layer).
    /// </summary>
    public TokenMixingLayer(string name, int input, int output, int channels, int tokens, IReadOnlyList<float[]> weight1,
        IReadOnlyList<float[]> bias1, IReadOnlyList<float[]> weight2, IReadOnlyList<float[]> bias2) : base(name, [input], output)
    {
        Heads = weight1.Count;
        if (Heads == 0 || channels % Heads != 0) throw new ModelFormatException($"{name}: {Heads} heads do not divide {channels} channels");
        if (bias1.Count != Heads || weight2.Count != Heads || bias2.Count != Heads) throw new ModelFormatException($"{name}: per-head tensor lists differ in length");
        Channels = channels;
        Tokens = tokens;
        Hidden = bias1[0].Length;
        for (int h = 0; h < Heads; h++)
            if (weight1[h].Length != Hidden * tokens || bias1[h].Length != Hidden || weight2[h].Length != tokens * Hidden || bias2[h].Length != tokens)
                throw new ModelFormatException($"{name}: head {h} weights do not fit {tokens} tokens and {Hidden} hidden");
        _heads = new Lazy<TokenMixingWeights[]>(() =>
            [.. Enumerable.Range(0, Heads).Select(h => new TokenMixingWeights(weight1[h], bias1[h], weight2[h], bias2[h], KernelIsas.Best))]);
        _stream = new TokenMixingStream(weight1, bias1, weight2, bias2, KernelIsas.Best);
        Weight1 = weight1;
        _bias1 = [.. bias1];
        Weight2 = weight2;
        _bias2 = [.. bias2];
    }

    /// <summary>Heads (channel blocks).</summary>
    public int Heads { get; }

    /// <summary>Channels in and out.</summary>
    public int Channels { get; }

    /// <summary>Tokens (H·W) the weights were trained for.</summary>
    public int Tokens { get; }

    /// <summary>Hidden token width (expansion · tokens).</summary>
    public int Hidden { get; }

    /// <summary>Per head, the first weight as given, [hidden, tokens] (exporters read these).</summary>
    public IReadOnlyList<float[]> Weight1 { get; }

    /// <summary>Per head, the first bias.</summary>
    public IReadOnlyList<float[]> Bias1 => _bias1;

    /// <summary>Per head, the second weight as given, [tokens, hidden].</summary>
    public IReadOnlyList<float[]> Weight2 { get; }

    /// <summary>Per head, the second bias.</summary>
    public IReadOnlyList<float[]> Bias2 => _bias2;

    /// <inheritdoc />
    public override long ParameterCount => Heads * (2L * Tokens * Hidden + Tokens + Hidden);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var s = inputs[0];
        if (s.C != Channels || s.H * s.W != Tokens)
            throw new InvalidOperationException($"{Name}: input {s} does not fit {Tokens} tokens x {Channels} channels");
        return s;
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => 2L * inputs[0].N * Channels * Tokens * Hidden;

    /// <inheritdoc />
    public override int ScratchFloats(ReadOnlySpan<TensorShape> inputs) => Math.Max(
        TokenMixingKernel.ScratchSize(inputs[0].N, Channels / Heads, Tokens, Hidden, KernelIsas.Best),
        TokenMixingHeads.Fits(inputs[0].N, Channels / Heads, KernelIsas.Best) ? TokenMixingHeads.ScratchSize(Heads, Channels / Heads, Tokens, Hidden, KernelIsas.Best) : 0);

    /// <inheritdoc />
    public override void Run(LayerArgs args) =>
        args.ForRows(this, Heads, 2L * args.OutputShape.N * (Channels / Heads) * Tokens * Hidden);

    /// <summary>Mixes heads [start, end) of every image in the batch.</summary>
    public void RunRows(in LayerArgs args, int start, int end)
    {
        int images = args.OutputShape.N;
        if (TokenMixingHeads.Fits(images, Channels / Heads, KernelIsas.Best))
        {
            TokenMixingHeads.Run(args.Input(0), args.Output, Channels, start, end, _stream,
                args.Scratch(TokenMixingHeads.ScratchSize(end - start, Channels / Heads, Tokens, Hidden, KernelIsas.Best)));
            return;
        }
        var scratch = args.Scratch(TokenMixingKernel.ScratchSize(images, Channels / Heads, Tokens, Hidden, KernelIsas.Best));
        for (int h = start; h < end; h++)
            TokenMixingKernel.Run(args.Input(0), args.Output, images, Channels, Heads, h, _heads.Value[h], scratch);
    }
}
