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
    public static Network Apply(Network network) => ActivationFusion.Apply(network, layer => layer is GeluLayer ? Activation.Gelu : null);
}
