using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Gives each image's values a new H×W×C shape without moving them (NHWC order is kept), e.g. a detector head's
/// [h, w, anchors·k] map read as [1, h·w·anchors, k] rows of k values per anchor.
/// </summary>
public sealed class ReshapeLayer : Layer
{
    /// <summary>Creates the layer; <paramref name="perImage"/> is the new shape of one image (its N is ignored).</summary>
    public ReshapeLayer(string name, int input, int output, TensorShape perImage) : base(name, [input], output)
    {
        if (perImage.H <= 0 || perImage.W <= 0 || perImage.C <= 0) throw new ArgumentException($"{name}: bad target shape {perImage}");
        PerImage = perImage with { N = 1 };
    }

    /// <summary>The shape of one image after reshaping.</summary>
    public TensorShape PerImage { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        if (inputs[0].PerImage != PerImage.PerImage)
            throw new InvalidOperationException($"{Name}: cannot reshape {inputs[0]} to {PerImage} per image");
        return PerImage with { N = inputs[0].N };
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args) => args.Input(0).CopyTo(args.Output);
}
