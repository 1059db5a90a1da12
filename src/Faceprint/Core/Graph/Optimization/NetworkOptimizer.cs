namespace Faceprint.Core.Graph.Optimization;

/// <summary>
/// Rewrites a definition's graph into an equivalent one that runs faster, without changing value ids of the
/// input or outputs. Definitions build unfused graphs of the plain layer types (what exporters write); sessions
/// run the optimised graph. The passes share the packed weights of the original layers.
/// </summary>
public static class NetworkOptimizer
{
    /// <summary>Applies every pass in order (activations first, so a conv may then take a residual after its GELU).</summary>
    public static Network Optimize(Network network) => ResidualFusion.Apply(GeluFusion.Apply(network));

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
