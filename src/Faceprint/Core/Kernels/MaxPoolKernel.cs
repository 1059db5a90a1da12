using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// NHWC max pooling, SIMD across channels (masked for a channel tail, e.g. MTCNN's 10 and 28 channels); padded
/// positions never win (they count as −∞, as in TensorFlow).
/// </summary>
public static unsafe class MaxPoolKernel
{
    /// <summary>Computes output rows [rowStart, rowEnd) where a row is (image, output y), on the best instruction set.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, in ConvGeometry g, int rowStart, int rowEnd) =>
        Run(input, output, g, rowStart, rowEnd, KernelIsas.Best);

    /// <summary>Computes output rows [rowStart, rowEnd) on <paramref name="isa"/>.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, in ConvGeometry g, int rowStart, int rowEnd, KernelIsa isa)
    {
        if (g.InC != g.OutC) throw new ArgumentException($"pooling keeps channels: {g}");
        int images = rowEnd <= 0 ? 0 : (rowEnd - 1) / g.OutH + 1;
        if (input.Length < (long)images * g.InH * g.InW * g.InC || output.Length < (long)rowEnd * g.OutW * g.OutC)
            throw new ArgumentException("buffers too short for the requested rows");
        fixed (float* pi = input)
        fixed (float* po = output)
        {
            switch (isa)
            {
                case KernelIsa.Avx512:
                    MaxPoolRows<Avx512Simd, Vector512<float>>.Run(pi, po, g, rowStart, rowEnd);
                    break;
                case KernelIsa.Avx2:
                    MaxPoolRows<Avx2Simd, Vector256<float>>.Run(pi, po, g, rowStart, rowEnd);
                    break;
                default:
                    MaxPoolRows<PortableSimd, System.Numerics.Vector<float>>.Run(pi, po, g, rowStart, rowEnd);
                    break;
            }
        }
    }
}
