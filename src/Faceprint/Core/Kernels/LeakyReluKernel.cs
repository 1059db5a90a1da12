using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>Leaky ReLU, x for x ≥ 0 and α·x otherwise, for activations that follow a residual sum (a conv fuses its own).</summary>
public static class LeakyReluKernel
{
    /// <summary>Writes leaky ReLU(<paramref name="input"/>) with slope <paramref name="alpha"/> to <paramref name="output"/> (same length; may alias).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, float alpha)
    {
        var a = new Vector<float>(alpha);
        int i = 0;
        for (; i + Vector<float>.Count <= input.Length; i += Vector<float>.Count)
        {
            var x = new Vector<float>(input.Slice(i));
            Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * a).CopyTo(output.Slice(i));
        }
        for (; i < input.Length; i++) output[i] = input[i] >= 0 ? input[i] : alpha * input[i];
    }
}
