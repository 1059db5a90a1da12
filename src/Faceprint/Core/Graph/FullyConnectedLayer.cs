using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Fully connected layer over each image's flattened NHWC values (flatten order h, w, c), with bias and a
/// fused activation; output N×1×1×Out. Runs as one GEMM with the images as rows, split over threads by images, or by
/// column panels when there are fewer images than outputs.
/// </summary>
public sealed class FullyConnectedLayer : Layer, IRowTask
{
    private readonly GemmWeights _gemm;
    private readonly float[] _bias;

    /// <summary>The weight as given, [out, in] over the NHWC-flattened input (exporters read this; the packed copy is private).</summary>
    public IReadOnlyList<float> Weight { get; }

    /// <summary>Per-output-channel bias.</summary>
    public IReadOnlyList<float> Bias => _bias;

    /// <summary>Builds the layer from a [out, in] matrix, packed here once.</summary>
    public FullyConnectedLayer(string name, int input, int output, ReadOnlySpan<float> weight, float[] bias, int inFeatures,
        Activation activation) : base(name, [input], output)
    {
        OutFeatures = bias.Length;
        InFeatures = inFeatures;
        Activation = activation;
        if (weight.Length != OutFeatures * inFeatures)
            throw new ModelFormatException($"{name}: weight has {weight.Length} values, expected {OutFeatures}x{inFeatures}");
        _gemm = GemmWeights.FromOutIn(weight, inFeatures, OutFeatures, bias, activation, KernelIsas.Best);
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
        int images = args.OutputShape.N;
        if (SplitsColumns(images)) args.ForRows(this, _gemm.Panels, (long)images * InFeatures * _gemm.PanelWidth, grain: 1);
        else args.ForRows(this, images, (long)InFeatures * OutFeatures, grain: 12);
    }

    /// <summary>Images [start, end), or, when the weights outweigh the images' inputs, column panels [start, end) of every image.</summary>
    public void RunRows(in LayerArgs args, int start, int end)
    {
        int images = args.OutputShape.N;
        if (!SplitsColumns(images)) Gemm.Run(args.Input(0), InFeatures, _gemm, args.Output, start, end);
        // One image with weights no cache holds (the ViT feature head): a streaming GEMV, same bits as the GEMM.
        else if (Gemv.Serves(_gemm, images)) Gemv.RunPanels(args.Input(0), _gemm, args.Output, start, end);
        else Gemm.RunPanels(args.Input(0), InFeatures, _gemm, args.Output, images, start, end);
    }

    // Fewer images than outputs: the weights (in·out) are the bigger read, so threads share them out by columns and
    // each reads its part once; split by images, every thread would stream all of them.
    private bool SplitsColumns(int images) => images < OutFeatures;
}
