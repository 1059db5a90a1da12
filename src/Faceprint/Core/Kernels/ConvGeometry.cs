using Faceprint.Core.Tensors;

namespace Faceprint.Core.Kernels;

/// <summary>Geometry of one conv or pool applied to one input shape.</summary>
public readonly record struct ConvGeometry(int InH, int InW, int InC, int OutH, int OutW, int OutC,
    int KernelH, int KernelW, int StrideH, int StrideW, int PadTop, int PadLeft)
{
    /// <summary>Geometry of a square <paramref name="kernel"/> with one stride and padding rule on both axes.</summary>
    public static ConvGeometry Square(TensorShape input, int outChannels, int kernel, int stride, Padding padding)
    {
        var (outH, top) = padding.Resolve(input.H, kernel, stride);
        var (outW, left) = padding.Resolve(input.W, kernel, stride);
        return new ConvGeometry(input.H, input.W, input.C, outH, outW, outChannels, kernel, kernel, stride, stride, top, left);
    }

    /// <summary>True when a dense conv with this geometry is a plain GEMM over pixels (1×1, stride 1, no padding).</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadLeft == 0;

    /// <summary>
    /// True when a square conv is <see cref="IsPointwise"/> at every input size: 1×1, stride 1, and no explicit padding
    /// (the other padding modes pad a 1×1 stride-1 window by nothing).
    /// </summary>
    public static bool IsPointwiseAtAnySize(int kernel, int stride, Padding padding) =>
        kernel == 1 && stride == 1 && (padding.Mode != PaddingMode.Explicit || padding.Amount == 0);

    /// <summary>Output columns [first, end) whose whole window lies inside the input horizontally.</summary>
    public (int First, int End) InteriorColumns()
    {
        int first = (PadLeft + StrideW - 1) / StrideW;
        int last = InW - KernelW + PadLeft;
        int end = last < 0 ? 0 : Math.Min(OutW, last / StrideW + 1);
        return (Math.Min(first, end), end);
    }
}
