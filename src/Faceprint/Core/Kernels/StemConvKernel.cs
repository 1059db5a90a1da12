using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Dense NHWC convolution for inputs of few channels (the RGB stems): it reads each tap straight from the input instead of
/// gathering receptive fields first (<see cref="Im2Col"/>). With three channels an im2col row is 27 floats that the GEMM
/// reads once per tap column, so gathering costs as much as the multiply-adds; here the register tile broadcasts each
/// input value where it lies (<see cref="StemConvTile{TS, TV, TR, TC}"/>). It uses the GEMM's packed kernel
/// (<see cref="GemmWeights.FromConvKernel"/>) and epilogue, and sums in the GEMM's order, so it is a drop-in for
/// im2col + <see cref="Gemm"/> with the same bits.
/// </summary>
public static unsafe class StemConvKernel
{
    /// <summary>The most input channels the kernel takes: beyond a few, a gathered row is long enough for the GEMM to win.</summary>
    public const int MaxInChannels = 4;

    /// <summary>True when this kernel runs a dense conv of geometry <paramref name="g"/> (few input channels, not a plain GEMM).</summary>
    public static bool Supports(in ConvGeometry g) => g.InC <= MaxInChannels && !g.IsPointwise;

    /// <summary>
    /// Computes output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) (flat over n, y, x) of
    /// act(conv(input) + bias) (+ <paramref name="residual"/>, empty for none, else the output's size) into
    /// <paramref name="output"/>, the whole NHWC output tensor.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, in ConvGeometry g, GemmWeights weights, Span<float> output, int pixelStart, int pixelEnd,
        ReadOnlySpan<float> residual = default)
    {
        if (pixelEnd <= pixelStart) return;
        if (!Supports(g)) throw new ArgumentException($"geometry {g} is not a small-channel dense conv");
        if (weights.K != g.KernelH * g.KernelW * g.InC || weights.N != g.OutC)
            throw new ArgumentException($"weights {weights.K}x{weights.N} do not match geometry {g}");
        int images = (pixelEnd - 1) / (g.OutH * g.OutW) + 1;
        if (pixelStart < 0 || input.Length < (long)images * g.InH * g.InW * g.InC || output.Length < (long)pixelEnd * g.OutC)
            throw new ArgumentException("buffers too short for the requested pixels");
        if (!residual.IsEmpty && residual.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("residual is too short for the requested pixels");
        fixed (float* pi = input)
        fixed (float* po = output)
        fixed (float* pr = residual)
            Run(pi, g, weights, po, residual.IsEmpty ? null : pr, pixelStart, pixelEnd);
    }

    /// <summary>Pointer form for layers that already hold pinned buffers; no bounds checks.</summary>
    internal static void Run(float* input, in ConvGeometry g, GemmWeights weights, float* output, float* residual, int pixelStart, int pixelEnd)
    {
        // As in the GEMM, the GELU pass follows the residual add, so the two cannot be fused (graph fusion never asks for it).
        if (weights.Activation.Kind == ActivationKind.Gelu && residual != null) throw new ArgumentException("GELU and a residual add cannot be fused into one conv");
        fixed (float* packed = weights.Packed)
        fixed (float* bias = weights.Bias)
        fixed (float* slopes = weights.Slopes)
        {
            var call = new StemConvCall(weights, packed, bias, slopes, g);
            switch (weights.Isa)
            {
                case KernelIsa.Avx512:
                    StemConvRows<Avx512Simd, Vector512<float>>.Run(call, input, g, output, residual, pixelStart, pixelEnd);
                    break;
                case KernelIsa.Avx2:
                    StemConvRows<Avx2Simd, Vector256<float>>.Run(call, input, g, output, residual, pixelStart, pixelEnd);
                    break;
                default:
                    StemConvRows<PortableSimd, System.Numerics.Vector<float>>.Run(call, input, g, output, residual, pixelStart, pixelEnd);
                    break;
            }
        }
    }
}
