using Faceprint.Core.Kernels;

namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Folds <c>Gelu(Conv(x))</c> into the conv's GEMM epilogue when the conv has no activation of its own and its output
/// feeds nothing but the GELU (FaceLiVT's FFN expansion and stem): the activation is applied while the tile is still in
/// registers instead of in a second pass over memory. The fused conv writes the GELU's output value.
/// </summary>
public static class GeluFusion
{
    /// <summary>Returns the network with every such pair fused (the same instance when there is none).</summary>
    public static Network Apply(Network network)
    {
        var readers = NetworkOptimizer.Readers(network);
        var producer = NetworkOptimizer.Producers(network);
        var layers = network.Layers.ToList<Layer?>();
        bool changed = false;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not GeluLayer gelu) continue;
            int input = gelu.Inputs[0];
            if (readers[input] != 1 || !producer.TryGetValue(input, out int c)) continue;
            if (layers[c] is not Conv2dLayer { Residual: null } conv || conv.Activation.Kind != ActivationKind.None) continue;
            layers[c] = conv.WithActivation(Activation.Gelu, gelu.Output);
            layers[i] = null;
            changed = true;
        }
        if (!changed) return network;
        return NetworkOptimizer.WithLayers(network, layers);
    }
}
