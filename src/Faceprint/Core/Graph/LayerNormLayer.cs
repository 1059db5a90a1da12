using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>LayerNorm over each token's channels (NHWC: every pixel is a token), with or without its affine γ, β.</summary>
public sealed class LayerNormLayer : Layer, IRowTask
{
    private readonly float[] _gamma;
    private readonly float[] _beta;

    /// <summary>Creates the layer from γ and β (each [C]).</summary>
    public LayerNormLayer(string name, int input, int output, float[] gamma, float[] beta, float epsilon) : base(name, [input], output)
    {
        if (gamma.Length != beta.Length) throw new ModelFormatException($"{name}: γ has {gamma.Length} values, β {beta.Length}");
        Channels = gamma.Length;
        _gamma = gamma;
        _beta = beta;
        Epsilon = epsilon;
    }

    /// <summary>Creates the layer without affine (standardisation only), for a graph that folded γ, β into the next linear.</summary>
    public LayerNormLayer(string name, int input, int output, int channels, float epsilon) : base(name, [input], output)
    {
        Channels = channels;
        _gamma = [];
        _beta = [];
        Epsilon = epsilon;
    }

    /// <summary>Channels normalised per token.</summary>
    public int Channels { get; }

    /// <summary>Per-channel scale γ (empty without affine).</summary>
    public IReadOnlyList<float> Gamma => _gamma;

    /// <summary>Per-channel offset β (empty without affine).</summary>
    public IReadOnlyList<float> Beta => _beta;

    /// <summary>Added to the variance.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override long ParameterCount => 2L * _gamma.Length;

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].C != Channels) throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {Channels}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args) => args.ForRows(this, args.OutputShape.Pixels, 4L * Channels, grain: 4);

    /// <summary>Normalises tokens [start, end).</summary>
    public void RunRows(in LayerArgs args, int start, int end) =>
        LayerNormKernel.Run(args.Input(0), args.Output, Channels, _gamma, _beta, Epsilon, start, end);
}
