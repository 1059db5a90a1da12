using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>ReLU6, min(max(x, 0), 6): the MLP activation of InsightFace's ViT.</summary>
public static class Relu6Kernel
{
    /// <summary>Writes ReLU6(<paramref name="input"/>) to <paramref name="output"/> (same length; may alias).</summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        var six = new Vector<float>(6f);
        int i = 0;
        for (; i + Vector<float>.Count <= input.Length; i += Vector<float>.Count)
            Vector.Min(Vector.Max(new Vector<float>(input.Slice(i)), Vector<float>.Zero), six).CopyTo(output.Slice(i));
        for (; i < input.Length; i++) output[i] = MathF.Min(MathF.Max(input[i], 0f), 6f);
    }
}
