using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>ReLU, max(x, 0), for activations that follow a residual sum rather than a conv (where it is fused).</summary>
public static class ReluKernel
{
    /// <summary>Writes ReLU(<paramref name="input"/>) to <paramref name="output"/> (same length; may alias).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        int i = 0;
        for (; i + Vector<float>.Count <= input.Length; i += Vector<float>.Count)
            Vector.Max(new Vector<float>(input.Slice(i)), Vector<float>.Zero).CopyTo(output.Slice(i));
        for (; i < input.Length; i++) output[i] = MathF.Max(input[i], 0f);
    }
}
