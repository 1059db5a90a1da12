using System.Runtime.CompilerServices;

namespace Faceprint.Core.Kernels;

/// <summary>Softmax over the channel axis of each position, max-subtracted for stability.</summary>
public static class SoftmaxKernel
{
    /// <summary>In place over consecutive rows of <paramref name="channels"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Span<float> data, int channels)
    {
        for (int offset = 0; offset < data.Length; offset += channels)
        {
            var row = data.Slice(offset, channels);
            float max = float.NegativeInfinity;
            foreach (float v in row) max = MathF.Max(max, v);
            float sum = 0f;
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = MathF.Exp(row[i] - max);
                sum += row[i];
            }
            float inverse = 1f / sum;
            for (int i = 0; i < row.Length; i++) row[i] *= inverse;
        }
    }
}
