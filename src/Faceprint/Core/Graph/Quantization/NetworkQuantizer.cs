using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// Builds the int8 form of an fp32 network: every dense conv of its optimised graph that has calibrated input
/// parameters and is not kept in fp32 becomes an <see cref="Int8PointwiseConvLayer"/> (1×1 stride 1) or an
/// <see cref="Int8Conv2dLayer"/> (any other kernel, stride or padding: a stem, MTCNN's convs), weights symmetric per
/// output channel, fused bias/activation/residual kept; every other layer (depthwise convs including the GDConv,
/// pooling, …) is shared with the fp32 network unchanged.
/// </summary>
public static class NetworkQuantizer
{
    /// <summary>True for the layers this quantizer runs in 8 bits.</summary>
    public static bool CanQuantize(Layer layer) =>
        // The int8 epilogue applies ReLU and PReLU only; convs with another fused activation (GELU, ReLU6) stay fp32.
        layer is Conv2dLayer conv && conv.Activation.Kind is ActivationKind.None or ActivationKind.Relu or ActivationKind.PRelu;

    /// <summary>True for a conv that is a plain GEMM over pixels (<see cref="Int8PointwiseConvLayer"/>).</summary>
    private static bool IsPointwise(Conv2dLayer conv) => conv is { Kernel: 1, Stride: 1 } && PadsNothing(conv.Padding);

    // A 1×1 stride-1 conv is a GEMM when it pads nothing (any padding rule at all would add border pixels).
    private static bool PadsNothing(Tensors.Padding padding) => padding.Resolve(5, 1, 1) == (5, 0);

    /// <summary>
    /// The int8 network: <paramref name="inputs"/> gives each quantizable layer's input parameters by layer name; layers
    /// named in <paramref name="keepFp32"/>, or without parameters, stay fp32.
    /// </summary>
    /// <remarks>
    /// <paramref name="storedWeights"/> gives, by layer name, weights already quantized (codes [out, in] or [out, in, k, k] and per-output
    /// scales, as a model file stores them); they are packed as they are instead of quantizing the layer's fp32 weight.
    /// </remarks>
    public static Network Quantize(Network network, IReadOnlyDictionary<string, QuantParams> inputs, IReadOnlySet<string>? keepFp32 = null,
        Int8Isa? isa = null, IReadOnlyDictionary<string, Weights.QuantizedTensor>? storedWeights = null)
    {
        var optimized = network.Optimized;
        var layers = new List<Layer>(optimized.Layers.Count);
        foreach (var layer in optimized.Layers)
        {
            if (CanQuantize(layer) && keepFp32?.Contains(layer.Name) != true && inputs.TryGetValue(layer.Name, out var q))
            {
                var conv = (Conv2dLayer)layer;
                var stored = storedWeights?.GetValueOrDefault(layer.Name);
                if (!IsPointwise(conv))
                {
                    layers.Add(Int8Conv2dLayer.FromConv(conv, q, isa ?? Int8Isas.Best, stored));
                    continue;
                }
                var weights = stored is not null
                    ? new Int8GemmWeights(stored.Codes, stored.Scales, conv.InChannels, conv.OutChannels, conv.Bias.ToArray(), conv.Activation, q, isa ?? Int8Isas.Best)
                    : Int8GemmWeights.FromFloat(conv.Weight.ToArray(), conv.InChannels, conv.OutChannels, conv.Bias.ToArray(), conv.Activation, q, isa ?? Int8Isas.Best);
                layers.Add(new Int8PointwiseConvLayer(conv.Name, conv.Inputs[0], conv.Residual, conv.Output, weights, conv.Bias));
            }
            else
            {
                layers.Add(layer);
            }
        }
        return new Network(network.Name, layers, optimized.ValueCount, optimized.Outputs, optimized.InputChannels);
    }
}
