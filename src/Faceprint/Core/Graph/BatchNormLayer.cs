using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Inference-mode BatchNorm (2-D over NHWC channels, or 1-D over an N×1×1×C vector) as its own step:
/// y = (x − mean)/√(var + eps)·γ + β. Only the un-reparameterized graph keeps it; the deploy graph folds it
/// into the neighbouring conv or linear.
/// </summary>
public sealed class BatchNormLayer : Layer
{
    private readonly float[] _scale;
    private readonly float[] _shift;

    /// <summary>Creates the layer from the four BatchNorm tensors (each [C]) and its epsilon.</summary>
    public BatchNormLayer(string name, int input, int output, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon) : base(name, [input], output)
    {
        int c = gamma.Length;
        if (beta.Length != c || mean.Length != c || variance.Length != c)
            throw new ModelFormatException($"{name}: BatchNorm tensors differ in length");
        _scale = new float[c];
        _shift = new float[c];
        for (int i = 0; i < c; i++)
        {
            _scale[i] = gamma[i] / MathF.Sqrt(variance[i] + epsilon);
            _shift[i] = beta[i] - mean[i] * _scale[i];
        }
    }

    /// <summary>Channels.</summary>
    public int Channels => _scale.Length;

    /// <summary>Per-channel multiplier γ/√(var + eps) (exporters read this).</summary>
    public IReadOnlyList<float> Scale => _scale;

    /// <summary>Per-channel offset β − mean·scale.</summary>
    public IReadOnlyList<float> Shift => _shift;

    /// <inheritdoc />
    public override long ParameterCount => 2L * Channels;

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].C != Channels) throw new InvalidOperationException($"{Name}: input has {inputs[0].C} channels, expected {Channels}");
        return inputs[0];
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args) => ChannelAffineKernel.Run(args.Input(0), args.Output, _scale, _shift);
}
