using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Depthwise NHWC convolution (one filter per channel) with bias and activation fused; also serves GDConv (the
/// kernel covers the whole 7×7 map). SIMD runs across channels; for 3×3 windows fully inside the input the nine
/// taps of a channel block stay in registers while the kernel sweeps the row.
/// </summary>
public static unsafe class DepthwiseConvKernel
{
    /// <summary>Computes output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) where a row is (image, output y).</summary>
    public static void Run(ReadOnlySpan<float> input, DepthwiseWeights weights, Span<float> output, in ConvGeometry g, int rowStart, int rowEnd,
        KernelIsa isa)
    {
        if (g.InC != weights.Channels || g.OutC != weights.Channels || g.KernelH != weights.KernelH || g.KernelW != weights.KernelW)
            throw new ArgumentException($"geometry {g} does not match a {weights.Channels}-channel {weights.KernelH}x{weights.KernelW} kernel");
        int images = rowEnd <= 0 ? 0 : (rowEnd - 1) / g.OutH + 1;
        if (input.Length < (long)images * g.InH * g.InW * g.InC || output.Length < (long)rowEnd * g.OutW * g.OutC)
            throw new ArgumentException("buffers too short for the requested rows");
        fixed (float* pi = input)
        fixed (float* po = output)
            Run(pi, weights, po, g, rowStart, rowEnd, isa);
    }

    /// <summary>Pointer form for layers holding pinned buffers; no bounds checks.</summary>
    internal static void Run(float* input, DepthwiseWeights weights, float* output, in ConvGeometry g, int rowStart, int rowEnd, KernelIsa isa)
    {
        switch (isa)
        {
            case KernelIsa.Avx512:
                DepthwiseRows<Avx512Simd, Vector512<float>>.Run(input, weights, output, g, rowStart, rowEnd);
                break;
            case KernelIsa.Avx2:
                DepthwiseRows<Avx2Simd, Vector256<float>>.Run(input, weights, output, g, rowStart, rowEnd);
                break;
            default:
                DepthwiseRows<PortableSimd, System.Numerics.Vector<float>>.Run(input, weights, output, g, rowStart, rowEnd);
                break;
        }
    }
}
