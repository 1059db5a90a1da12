using System.Numerics;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Scaled dot-product attention for one (image, head): softmax(q·kᵀ/√d)·v over all tokens. q, kᵀ and v are
/// gathered into contiguous blocks so both products run on <see cref="RowMajorGemm"/>; the softmax is SIMD with a
/// vectorised exp.
/// </summary>
public static class AttentionKernel
{
    /// <summary>
    /// Attention of head <paramref name="head"/> of one image: <paramref name="qkv"/> holds tokens × layout.Channels,
    /// <paramref name="output"/> tokens × layout.OutputChannels; <paramref name="scratch"/> at least
    /// <see cref="AttentionLayout.ScratchSize"/> floats.
    /// </summary>
    public static void Run(ReadOnlySpan<float> qkv, Span<float> output, int tokens, in AttentionLayout layout, int head, Span<float> scratch)
    {
        int dk = layout.KeyDim, dv = layout.ValueDim, c = layout.Channels, oc = layout.OutputChannels;
        var q = scratch[..(tokens * dk)];
        var kt = scratch.Slice(tokens * dk, dk * tokens);
        var v = scratch.Slice(2 * tokens * dk, tokens * dv);
        var scores = scratch.Slice(2 * tokens * dk + tokens * dv, tokens * tokens);
        var result = scratch.Slice(2 * tokens * dk + tokens * dv + tokens * tokens, tokens * dv);
        var zeros = scratch.Slice(2 * tokens * dk + 2 * tokens * dv + tokens * tokens, Math.Max(tokens, dv));
        zeros.Clear();

        float scale = 1f / MathF.Sqrt(dk);
        int qo = layout.QueryOffset + head * layout.HeadStride, ko = layout.KeyOffset + head * layout.HeadStride,
            vo = layout.ValueOffset + head * layout.HeadStride;
        for (int n = 0; n < tokens; n++)
        {
            var row = qkv.Slice(n * c, c);
            for (int d = 0; d < dk; d++)
            {
                q[n * dk + d] = row[qo + d] * scale;
                kt[d * tokens + n] = row[ko + d];
            }
            row.Slice(vo, dv).CopyTo(v.Slice(n * dv, dv));
        }
        RowMajorGemm.Run(q, kt, zeros[..tokens], scores, dk, tokens, 0, tokens);
        for (int n = 0; n < tokens; n++) SoftmaxInPlace(scores.Slice(n * tokens, tokens));
        RowMajorGemm.Run(scores, v, zeros[..dv], result, tokens, dv, 0, tokens);
        for (int n = 0; n < tokens; n++) result.Slice(n * dv, dv).CopyTo(output.Slice(n * oc + head * dv, dv));
    }

    /// <summary>Max-subtracted softmax of one row with a SIMD exp.</summary>
    internal static void SoftmaxInPlace(Span<float> row)
    {
        float max = VectorMath.Max(row);
        var m = new Vector<float>(max);
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i + Vector<float>.Count <= row.Length; i += Vector<float>.Count)
        {
            var e = VectorMath.Exp(new Vector<float>(row.Slice(i)) - m);
            e.CopyTo(row.Slice(i));
            acc += e;
        }
        float sum = Vector.Sum(acc);
        for (; i < row.Length; i++)
        {
            row[i] = MathF.Exp(row[i] - max);
            sum += row[i];
        }
        var inverse = new Vector<float>(1f / sum);
        i = 0;
        for (; i + Vector<float>.Count <= row.Length; i += Vector<float>.Count) (new Vector<float>(row.Slice(i)) * inverse).CopyTo(row.Slice(i));
        for (; i < row.Length; i++) row[i] *= inverse[0];
    }
}
