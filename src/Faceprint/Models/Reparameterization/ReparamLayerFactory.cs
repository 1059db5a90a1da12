using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;

namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Emits the layers of PyTorch building blocks that structural reparameterization rewrites, in one of two forms
/// from the same train-form weights: with <see cref="Deploy"/> off, every module as trained (BatchNorm as its own
/// affine step, RepConv's branches as separate convs summed, residuals as adds, LayerNorm with its affine); with it
/// on, BN folded into the conv or linear beside it, RepConv branches merged, a depthwise residual folded into its
/// centre tap, and LayerNorm affines folded into the linear that reads them. Both
/// forms compute the same function; the first exists to measure what reparameterization buys.
/// </summary>
internal sealed class ReparamLayerFactory(NetworkBuilder builder, WeightSet weights, bool deploy)
{
    /// <summary>True for the reparameterized (deploy) form.</summary>
    public bool Deploy => deploy;

    /// <summary>The weights layers are built from.</summary>
    public WeightSet Weights => weights;

    /// <summary>
    /// Conv (no bias) then BatchNorm: <c>{conv}.weight</c>, <c>{bn}.*</c>. Depthwise when
    /// <paramref name="depthwise"/>; symmetric padding <paramref name="pad"/>.
    /// </summary>
    public int ConvBn(string conv, string bn, int x, int inChannels, int outChannels, int kernel, int stride, int pad, bool depthwise,
        float epsilon)
    {
        var norm = BatchNormTensors.Read(weights, bn, epsilon);
        if (deploy)
        {
            var (w, b) = BatchNormFolding.IntoPreceding(weights[conv + ".weight"], [], norm);
            return Conv(conv, x, w, b, inChannels, kernel, stride, pad, depthwise);
        }
        int y = Conv(conv, x, weights[conv + ".weight"], new float[outChannels], inChannels, kernel, stride, pad, depthwise);
        return BatchNorm(bn, y, norm);
    }

    /// <summary>
    /// Deploy form only: 1×1 Conv-BN <paramref name="conv"/>/<paramref name="bn"/> applied to the output of 1×1 Conv-BN
    /// <paramref name="innerConv"/>/<paramref name="innerBn"/> with nothing between them, emitted as one conv that reads the
    /// inner one's input <paramref name="x"/> (<see cref="LinearComposition"/>). The inner conv's own output is not produced.
    /// </summary>
    public int ComposedConvBn(string innerConv, string innerBn, string conv, string bn, int x, int inChannels, float epsilon)
    {
        if (!deploy) throw new InvalidOperationException("the train form runs every conv and BatchNorm as trained");
        var (innerWeight, innerBias) = BatchNormFolding.IntoPreceding(weights[innerConv + ".weight"], [], BatchNormTensors.Read(weights, innerBn, epsilon));
        var (outerWeight, outerBias) = BatchNormFolding.IntoPreceding(weights[conv + ".weight"], [], BatchNormTensors.Read(weights, bn, epsilon));
        var (w, b) = LinearComposition.Compose(innerWeight, innerBias, outerWeight, outerBias);
        return Conv(conv, x, w, b, inChannels, 1, 1, 0, false);
    }

    /// <summary>
    /// FaceLiVT's RepConv, <c>{name}.conv</c> (k×k, bias, padding k/2), <c>{name}.repconv</c> ((k/2)×(k/2), bias,
    /// padding k/4) summed, then <c>{name}.bn</c>; with <paramref name="residual"/> the block's input is added
    /// back (depthwise, stride 1 only).
    /// </summary>
    public int RepConv(string name, int x, int inChannels, int outChannels, int kernel, int stride, bool depthwise, bool residual,
        float epsilon)
    {
        int small = kernel / 2;
        var norm = BatchNormTensors.Read(weights, name + ".bn", epsilon);
        if (deploy)
        {
            var (merged, mergedBias) = RepConvMerging.Merge(weights[name + ".conv.weight"], weights[name + ".conv.bias"], kernel,
                weights[name + ".repconv.weight"], weights[name + ".repconv.bias"], small);
            var (w, b) = BatchNormFolding.IntoPreceding(merged, mergedBias, norm);
            if (residual) w = IdentityFolding.IntoDepthwiseCentre(w, kernel);
            return Conv(name, x, w, b, inChannels, kernel, stride, kernel / 2, depthwise);
        }
        int large = Conv(name + ".conv", x, weights[name + ".conv.weight"], weights[name + ".conv.bias"], inChannels, kernel, stride,
            kernel / 2, depthwise);
        int narrow = Conv(name + ".repconv", x, weights[name + ".repconv.weight"], weights[name + ".repconv.bias"], inChannels, small,
            stride, small / 2, depthwise);
        int y = BatchNorm(name + ".bn", Add(name + ".sum", large, narrow), norm);
        return residual ? Add(name + ".residual", x, y) : y;
    }

    /// <summary>BatchNorm1d then Linear with bias (FaceLiVT's BN_Linear head): <c>{bn}.*</c>, <c>{linear}.weight/.bias</c>.</summary>
    public int BnLinear(string bn, string linear, int x, int inFeatures, float epsilon)
    {
        var norm = BatchNormTensors.Read(weights, bn, epsilon);
        if (deploy)
        {
            var (w, b) = BatchNormFolding.IntoFollowing(weights[linear + ".weight"], weights[linear + ".bias"], norm);
            return Linear(linear, x, w, b, inFeatures);
        }
        return Linear(linear, BatchNorm(bn, x, norm), weights[linear + ".weight"], weights[linear + ".bias"], inFeatures);
    }

    /// <summary>Linear without bias then BatchNorm1d (the ViT feature head): <c>{linear}.weight</c>, <c>{bn}.*</c>.</summary>
    public int LinearBn(string linear, string bn, int x, int inFeatures, int outFeatures, float epsilon)
    {
        var norm = BatchNormTensors.Read(weights, bn, epsilon);
        if (deploy)
        {
            var (w, b) = BatchNormFolding.IntoPreceding(weights[linear + ".weight"], [], norm);
            return Linear(linear, x, w, b, inFeatures);
        }
        return BatchNorm(bn, Linear(linear, x, weights[linear + ".weight"], new float[outFeatures], inFeatures), norm);
    }

    /// <summary>
    /// LayerNorm over each token's channels (<c>{norm}.weight/.bias</c>) then a per-token linear
    /// (<c>{linear}.weight</c>, <c>.bias</c> when present); deploy folds the norm's affine into the linear.
    /// </summary>
    public int NormTokenLinear(string norm, string linear, int x, int inFeatures, int outFeatures, bool bias, float epsilon)
    {
        if (!deploy) return TokenLinear(linear, LayerNorm(norm, x, inFeatures, epsilon), inFeatures, outFeatures, bias);
        var (w, b) = LayerNormFolding.IntoFollowing(weights[linear + ".weight"], bias ? weights[linear + ".bias"] : [], weights[norm + ".weight"],
            weights[norm + ".bias"], outFeatures);
        int y = builder.Add(new LayerNormLayer(norm, x, builder.NewValue(), inFeatures, epsilon));
        return builder.Add(new Conv2dLayer(linear, y, builder.NewValue(), w, b, inFeatures, 1, 1, Padding.Valid, Activation.None));
    }

    /// <summary>
    /// LayerNorm per token, then a linear without bias over all tokens flattened, then BatchNorm1d (the ViT feature
    /// head's first step); deploy folds the norm's affine and the BN into the linear.
    /// </summary>
    public int NormLinearBn(string norm, string linear, string bn, int x, int channels, int inFeatures, int outFeatures, float normEpsilon,
        float bnEpsilon)
    {
        if (!deploy) return LinearBn(linear, bn, LayerNorm(norm, x, channels, normEpsilon), inFeatures, outFeatures, bnEpsilon);
        var (w, b) = LayerNormFolding.IntoFollowing(weights[linear + ".weight"], [], weights[norm + ".weight"], weights[norm + ".bias"], outFeatures);
        (w, b) = BatchNormFolding.IntoPreceding(w, b, BatchNormTensors.Read(weights, bn, bnEpsilon));
        int y = builder.Add(new LayerNormLayer(norm, x, builder.NewValue(), channels, normEpsilon));
        return Linear(linear, y, w, b, inFeatures);
    }

    /// <summary>A per-token linear (a 1×1 conv over NHWC): <c>{name}.weight</c> [out, in], and <c>{name}.bias</c> when present.</summary>
    public int TokenLinear(string name, int x, int inFeatures, int outFeatures, bool bias)
    {
        float[] b = bias ? weights[name + ".bias"] : new float[outFeatures];
        return builder.Add(new Conv2dLayer(name, x, builder.NewValue(), weights[name + ".weight"], b, inFeatures, 1, 1, Padding.Valid,
            Activation.None));
    }

    /// <summary>Element-wise sum.</summary>
    public int Add(string name, int a, int b) => builder.Add(new AddLayer(name, a, b, builder.NewValue()));

    /// <summary>Exact GELU.</summary>
    public int Gelu(string name, int x) => builder.Add(new GeluLayer(name, x, builder.NewValue()));

    /// <summary>ReLU6.</summary>
    public int Relu6(string name, int x) => builder.Add(new Relu6Layer(name, x, builder.NewValue()));

    /// <summary>Any other layer, given its output id from <see cref="NewValue"/>.</summary>
    public int Append(Layer layer) => builder.Add(layer);

    /// <summary>Reserves an output id for <see cref="Append"/>.</summary>
    public int NewValue() => builder.NewValue();

    private int Conv(string name, int x, ReadOnlySpan<float> weight, float[] bias, int inChannels, int kernel, int stride, int pad,
        bool depthwise)
    {
        var padding = pad == 0 ? Padding.Valid : Padding.Symmetric(pad);
        return depthwise
            ? builder.Add(new DepthwiseConv2dLayer(name, x, builder.NewValue(), weight, bias, kernel, stride, padding, Activation.None))
            : builder.Add(new Conv2dLayer(name, x, builder.NewValue(), weight, bias, inChannels, kernel, stride, padding, Activation.None));
    }

    private int LayerNorm(string name, int x, int channels, float epsilon)
    {
        float[] gamma = weights[name + ".weight"], beta = weights[name + ".bias"];
        if (gamma.Length != channels) throw new ModelFormatException($"{name}: {gamma.Length} channels, expected {channels}");
        return builder.Add(new LayerNormLayer(name, x, builder.NewValue(), gamma, beta, epsilon));
    }

    private int Linear(string name, int x, ReadOnlySpan<float> weight, float[] bias, int inFeatures) =>
        builder.Add(new FullyConnectedLayer(name, x, builder.NewValue(), weight, bias, inFeatures, Activation.None));

    private int BatchNorm(string name, int x, BatchNormTensors bn) =>
        builder.Add(new BatchNormLayer(name, x, builder.NewValue(), bn.Gamma, bn.Beta, bn.Mean, bn.Variance, bn.Epsilon));
}
