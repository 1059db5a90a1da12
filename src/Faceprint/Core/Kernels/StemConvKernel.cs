using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        Check(input, g, weights, pixelStart, pixelEnd);
        if (output.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("output too short for the requested pixels");
        if (!residual.IsEmpty && residual.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("residual is too short for the requested pixels");
        fixed (float* pi = input)
        fixed (float* po = output)
        fixed (float* pr = residual)
            Run(pi, g, weights, po, residual.IsEmpty ? null : pr, null, null, pixelStart, pixelEnd);
    }

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, in ConvGeometry, GemmWeights, Span{float}, int, int, ReadOnlySpan{float})"/>,
    /// but writing each output element as its u8 code (<paramref name="codes"/>' parameters of its channel) into
    /// <paramref name="output"/>, one byte per element: the codes a per-channel quantize pass would make of the floats.
    /// </summary>
    internal static void RunCodes(ReadOnlySpan<float> input, in ConvGeometry g, GemmWeights weights, StemConvCodes codes, Span<byte> output,
        int pixelStart, int pixelEnd)
    {
        if (pixelEnd <= pixelStart) return;
        Check(input, g, weights, pixelStart, pixelEnd);
        if (output.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("output too short for the requested pixels");
        fixed (float* pi = input)
        fixed (byte* po = output)
            Run(pi, g, weights, null, null, codes, po, pixelStart, pixelEnd);
    }

    private static void Check(ReadOnlySpan<float> input, in ConvGeometry g, GemmWeights weights, int pixelStart, int pixelEnd)
    {
        if (!Supports(g)) throw new ArgumentException($"geometry {g} is not a small-channel dense conv");
        if (weights.K != g.KernelH * g.KernelW * g.InC || weights.N != g.OutC)
            throw new ArgumentException($"weights {weights.K}x{weights.N} do not match geometry {g}");
        int images = (pixelEnd - 1) / (g.OutH * g.OutW) + 1;
        if (pixelStart < 0 || input.Length < (long)images * g.InH * g.InW * g.InC) throw new ArgumentException("input too short for the requested pixels");
    }

    /// <summary>
    /// Pointer form for layers that already hold pinned buffers; no bounds checks. Writes floats to <paramref name="output"/>,
    /// or, when <paramref name="codes"/> is set, codes to <paramref name="codeOutput"/>.
    /// </summary>
    internal static void Run(float* input, in ConvGeometry g, GemmWeights weights, float* output, float* residual, StemConvCodes? codes,
        byte* codeOutput, int pixelStart, int pixelEnd)
    {
        // As in the GEMM, the GELU pass follows the residual add, so the two cannot be fused (graph fusion never asks for
        // it); it runs over the floats written, so it cannot come before codes either.
        if (weights.Activation.Kind == ActivationKind.Gelu && (residual != null || codes != null))
            throw new ArgumentException("GELU cannot be fused with a residual add or code output into one conv");
        fixed (float* packed = weights.Packed)
        fixed (float* bias = weights.Bias)
        fixed (float* slopes = weights.Slopes)
        {
            var call = codes is null
                ? new StemConvCall(weights, packed, bias, slopes, g, output, residual, null, null, null)
                : CodeCall(weights, packed, bias, slopes, g, residual, codes, codeOutput);
            switch (weights.Isa)
            {
                case KernelIsa.Avx512:
                    StemConvRows<Avx512Simd, Vector512<float>>.Run(call, input, g, pixelStart, pixelEnd);
                    break;
                case KernelIsa.Avx2:
                    StemConvRows<Avx2Simd, Vector256<float>>.Run(call, input, g, pixelStart, pixelEnd);
                    break;
                default:
                    StemConvRows<PortableSimd, System.Numerics.Vector<float>>.Run(call, input, g, pixelStart, pixelEnd);
                    break;
            }
        }
    }

    // The code terms are pinned arrays, so their addresses hold without a fixed block.
    private static StemConvCall CodeCall(GemmWeights weights, float* packed, float* bias, float* slopes, in ConvGeometry g, float* residual,
        StemConvCodes codes, byte* output)
    {
        if (codes.Channels.Count != weights.N) throw new ArgumentException($"{codes.Channels.Count} code parameters for {weights.N} channels");
        return new StemConvCall(weights, packed, bias, slopes, g, null, residual, output,
            (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(codes.Inverse)),
            (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(codes.ZeroPoints)));
    }
}
