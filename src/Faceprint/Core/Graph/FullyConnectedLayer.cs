using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Fully connected layer over each image's flattened NHWC values (flatten order h, w, c), with bias and a
/// fused activation; output N×1×1×Out.
/// </summary>
public sealed class FullyConnectedLayer : Layer
{
    private readonly float[] _packed;
    private readonly float[] _bias;

    /// <summary>The weight as given, [out, in] over the NHWC-flattened input (exporters read this; the packed copy is private).</summary>
    public IReadOnlyList<float> Weight { get; }

    /// <summary>Per-output-channel bias.</summary>
    public IReadOnlyList<float> Bias => _bias;

    /// <summary>Builds the layer from a [out, in] matrix, transposed here once to [in, out].</summary>
    public FullyConnectedLayer(string name, int input, int output, ReadOnlySpan<float> weight, float[] bias, int inFeatures,
        Activation activation) : base(name, [input], output)
    {
        OutFeatures = bias.Length;
        InFeatures = inFeatures;
        Activation = activation;
        if (weight.Length != OutFeatures * inFeatures)
            throw new ModelFormatException($"{name}: weight has {weight.Length} values, expected {OutFeatures}x{inFeatures}");
        _packed = Conv2dKernel.Pack(weight, OutFeatures, inFeatures, 1, 1);
        Weight = weight.ToArray();
        _bias = bias;
    }

    /// <summary>Inputs per image.</summary>
    public int InFeatures { get; }

    /// <summary>Outputs per image.</summary>
    public int OutFeatures { get; }

    /// <summary>Fused activation.</summary>
    public Activation Activation { get; }

    /// <inheritdoc />
    public override long ParameterCount => Weight.Count + _bias.Length + (Activation.Slopes?.Length ?? 0);

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].PerImage != InFeatures)
            throw new InvalidOperationException($"{Name}: input {inputs[0]} has {inputs[0].PerImage} features, expected {InFeatures}");
        return new TensorShape(inputs[0].N, 1, 1, OutFeatures);
    }

    /// <inheritdoc />
    public override long CountMacs(ReadOnlySpan<TensorShape> inputs) => (long)inputs[0].N * InFeatures * OutFeatures;

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var output = args.Output;
        Gemm.Run(args.Input(0), _packed, _bias, output, InFeatures, OutFeatures, 0, args.OutputShape.N);
        Activation.Apply(output, OutFeatures);
    }
}
