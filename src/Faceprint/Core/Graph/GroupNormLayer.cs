using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>GroupNorm with per-channel affine; statistics per image and group over all pixels.</summary>
public sealed class GroupNormLayer : Layer
{
    private readonly float[] _gamma;
    private readonly float[] _beta;

    /// <summary>Creates the layer from γ and β (each [C]); <paramref name="groups"/> must divide C.</summary>
    public GroupNormLayer(string name, int input, int output, int groups, float[] gamma, float[] beta, float epsilon) : base(name, [input], output)
    {
        if (gamma.Length != beta.Length) throw new ModelFormatException($"{name}: γ has {gamma.Length} values, β {beta.Length}");
        if (groups < 1 || gamma.Length % groups != 0) throw new ModelFormatException($"{name}: {groups} groups do not divide {gamma.Length} channels");
        Groups = groups;
        _gamma = gamma;
        _beta = beta;
        Epsilon = epsilon;
    }

    /// <summary>Groups the channels are split into.</summary>
    public int Groups { get; }

    /// <summary>Per-channel scale γ.</summary>
    public IReadOnlyList<float> Gamma => _gamma;

    /// <summary>Per-channel offset β.</summary>
    public IReadOnlyList<float> Beta => _beta;

    /// <summary>Added to the variance.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override long ParameterCount => 2L * _gamma.Length;

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].C != _gamma.Length) throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {_gamma.Length}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var shape = args.OutputShape;
        GroupNormKernel.Run(args.Input(0), args.Output, _gamma, _beta, shape.H * shape.W, Groups, Epsilon, 0, shape.N);
    }
}
