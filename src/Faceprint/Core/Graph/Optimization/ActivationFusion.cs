using Faceprint.Core.Kernels;

namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Folds an element-wise activation layer into the GEMM epilogue of the conv before it when the conv has no activation
/// or residual of its own and its output feeds nothing but that layer: the activation is applied while the tile is still
/// in registers instead of in a second pass over memory. The fused conv writes the activation's output value.
/// </summary>
public static class ActivationFusion
{
    /// <summary>Returns the network with every conv → ReLU6 pair fused (the ViT MLP's fc1; the same instance when there is none).</summary>
    public static Network Apply(Network network) => Apply(network, layer => layer is Relu6Layer ? Activation.Relu6 : null);

    /// <summary>
    /// Fuses each layer for which <paramref name="activationOf"/> names an activation (null: not an activation layer) into
    /// the conv that produces its input.
    /// </summary>
    internal static Network Apply(Network network, Func<Layer, Activation?> activationOf)
    {
        var readers = NetworkOptimizer.Readers(network);
        var producer = NetworkOptimizer.Producers(network);
        var layers = network.Layers.ToList<Layer?>();
        bool changed = false;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not { } layer || activationOf(layer) is not { } activation) continue;
            int input = layer.Inputs[0];
            if (readers[input] != 1 || !producer.TryGetValue(input, out int c)) continue;
            if (layers[c] is not Conv2dLayer { Residual: null } conv || conv.Activation.Kind != ActivationKind.None) continue;
            layers[c] = conv.WithActivation(activation, layer.Output);
            layers[i] = null;
            changed = true;
        }
        if (!changed) return network;
        return NetworkOptimizer.WithLayers(network, layers);
    }
}
