using Faceprint.Core.Kernels;

namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Folds <c>Add(x, Conv(h))</c> into the conv's GEMM epilogue when the conv's output feeds nothing but that add:
/// the sum is written once instead of the conv output being stored, re-read and stored again (the projection of
/// every MobileFaceNet residual block). The fused conv writes the add's output value.
/// </summary>
public static class ResidualFusion
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
            if (layers[i] is not AddLayer add) continue;
            for (int side = 0; side < 2; side++)
            {
                int fromConv = add.Inputs[side], residual = add.Inputs[1 - side];
                if (fromConv == residual || readers[fromConv] != 1 || !producer.TryGetValue(fromConv, out int c)) continue;
                // A GELU conv applies its activation after the tile, where the residual would already be in.
                if (layers[c] is not Conv2dLayer { Residual: null } conv || conv.Activation.Kind == ActivationKind.Gelu) continue;
                // The residual must already exist when the conv runs.
                if (producer.TryGetValue(residual, out int r) && r > c) continue;
                layers[c] = conv.WithResidual(residual, add.Output);
                layers[i] = null;
                changed = true;
                break;
            }
        }
        if (!changed) return network;
        return NetworkOptimizer.WithLayers(network, layers);
    }
}
