using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// y = x / √max(Σ x², ε) over the channels of each pixel (for an N×1×1×C embedding: the whole vector), as
/// TensorFlow's <c>l2_normalize</c> computes it.
/// </summary>
public sealed class L2NormalizeLayer : Layer
{
    /// <summary>Creates the layer; <paramref name="epsilon"/> bounds the squared norm from below.</summary>
    public L2NormalizeLayer(string name, int input, int output, float epsilon) : base(name, [input], output) => Epsilon = epsilon;

    /// <summary>Lower bound of the squared norm.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var input = args.Input(0);
        var output = args.Output;
        int c = args.InputShape(0).C;
        for (int offset = 0; offset < input.Length; offset += c)
        {
            var row = input.Slice(offset, c);
            double sum = 0;
            foreach (float v in row) sum += (double)v * v;
            float inv = (float)(1 / Math.Sqrt(Math.Max(sum, Epsilon)));
            for (int j = 0; j < c; j++) output[offset + j] = row[j] * inv;
        }
    }
}
