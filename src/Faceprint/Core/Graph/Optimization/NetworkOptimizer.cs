namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Rewrites a definition's graph into an equivalent one that runs faster, without changing value ids of the
/// input or outputs. Definitions build unfused graphs of the plain layer types (what exporters write); sessions
/// run the optimised graph. The passes share the packed weights of the original layers.
/// </summary>
public static class NetworkOptimizer
{
    /// <summary>
    /// Applies every pass in order (activations first, so a conv may then take a residual after its activation; the
    /// prefetch links last, between the convs that remain).
    /// </summary>
    public static Network Optimize(Network network) => WeightPrefetchChain.Apply(ResidualFusion.Apply(ActivationFusion.Apply(GeluFusion.Apply(network))));

    /// <summary>Index in <paramref name="network"/>'s layer list of the layer that writes each value.</summary>
    internal static Dictionary<int, int> Producers(Network network)
    {
        var producer = new Dictionary<int, int>();
        for (int i = 0; i < network.Layers.Count; i++) producer[network.Layers[i].Output] = i;
        return producer;
    }

    /// <summary><paramref name="network"/> with the rewritten layer list, removed layers left as null.</summary>
    internal static Network WithLayers(Network network, List<Layer?> layers) =>
        new(network.Name, layers.OfType<Layer>().ToArray(), network.ValueCount, network.Outputs, network.InputChannels);

    /// <summary>How many layers read each value, counting network outputs as readers.</summary>
    internal static int[] Readers(Network network)
    {
        var readers = new int[network.ValueCount];
        foreach (var layer in network.Layers)
            foreach (int v in layer.Inputs)
                readers[v]++;
        foreach (int v in network.Outputs) readers[v]++;
        return readers;
    }
}
