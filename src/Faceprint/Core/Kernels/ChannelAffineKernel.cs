namespace Faceprint.Core.Kernels;

/// <summary>y = x·scale[c] + shift[c] on NHWC rows: an inference-mode BatchNorm kept as its own step.</summary>
public static class ChannelAffineKernel
{
    /// <summary>Applies the affine to every row of <paramref name="scale"/>.Length channels.</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift)
    {
        int c = scale.Length;
        for (int offset = 0; offset < input.Length; offset += c)
            VectorMath.MultiplyAdd(input.Slice(offset, c), scale, shift, output.Slice(offset, c));
    }
}
