namespace Faceprint.Core.Kernels;

/// <summary>
/// Where one head's queries, keys and values sit among the channels of a fused QKV projection, and how wide
/// they are. Head h reads q from channel <c>QueryOffset + h·HeadStride</c>, k from <c>KeyOffset + h·HeadStride</c>,
/// v from <c>ValueOffset + h·HeadStride</c>, and writes its output to channels [h·ValueDim, (h+1)·ValueDim).
/// </summary>
/// <param name="Heads">Number of heads.</param>
/// <param name="KeyDim">Width of q and k per head; scores are scaled by KeyDim^-0.5.</param>
/// <param name="ValueDim">Width of v (and of the output) per head.</param>
/// <param name="HeadStride">Channel distance between consecutive heads' q (and k, v).</param>
/// <param name="QueryOffset">First q channel of head 0.</param>
/// <param name="KeyOffset">First k channel of head 0.</param>
/// <param name="ValueOffset">First v channel of head 0.</param>
/// <param name="Channels">Channels of the QKV tensor.</param>
public readonly record struct AttentionLayout(int Heads, int KeyDim, int ValueDim, int HeadStride, int QueryOffset, int KeyOffset,
    int ValueOffset, int Channels)
{
    /// <summary>Output channels (heads × value width).</summary>
    public int OutputChannels => Heads * ValueDim;

    /// <summary>timm/InsightFace ViT: qkv = Linear(D, 3D) read as [3][heads][D/heads].</summary>
    public static AttentionLayout Grouped(int dim, int heads)
    {
        int d = dim / heads;
        return new AttentionLayout(heads, d, d, d, 0, dim, 2 * dim, 3 * dim);
    }

    /// <summary>FaceLiVT MHSA: per head a contiguous [q keyDim | k keyDim | v valueDim] block.</summary>
    public static AttentionLayout Interleaved(int heads, int keyDim, int valueDim) =>
        new(heads, keyDim, valueDim, 2 * keyDim + valueDim, 0, keyDim, 2 * keyDim, heads * (2 * keyDim + valueDim));

    /// <summary>Floats of scratch one head of <paramref name="tokens"/> tokens needs on any instruction set (AVX-512's wider panels need the most).</summary>
    public int ScratchSize(int tokens) => AttentionKernel.ScratchSize(tokens, this, KernelIsa.Avx512);
}
