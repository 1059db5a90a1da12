namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Links each conv to the conv that runs after it, so its GEMM prefetches the first panel of the next one's weights while
/// its own last panel computes. At batch 1 the late stages of FaceLiVT and ViT read megabytes of weights per layer with
/// little work per weight; without the link every layer's first row tiles wait on weights arriving cold from memory.
/// Outputs are unchanged (a prefetch only moves data into cache).
/// </summary>
public static class WeightPrefetchChain
{
    /// <summary>Returns the network with every conv that has a later conv linked to it (the same instance when there is none).</summary>
    public static Network Apply(Network network)
    {
        var layers = network.Layers.ToList<Layer?>();
        bool changed = false;
        int previous = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not Conv2dLayer conv) continue;
            if (previous >= 0)
            {
                layers[previous] = ((Conv2dLayer)layers[previous]!).WithNext(conv);
                changed = true;
            }
            previous = i;
        }
        if (!changed) return network;
        return NetworkOptimizer.WithLayers(network, layers);
    }
}
