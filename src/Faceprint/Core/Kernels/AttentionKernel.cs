using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Scaled dot-product attention for one (image, head): softmax(q·kᵀ/√d)·v over all tokens, on the register-tiled
/// <see cref="Gemm"/> micro-kernel. The scaled kᵀ and v are packed once per head; q is read in place (a strided view of
/// the QKV tensor) and the output written in place (a strided view of the output). Queries go in blocks of one GEMM
/// tile's rows: a block's scores are computed, exponentiated and multiplied by v while they are still in L1, so the
/// tokens×tokens score matrix is never written out whole; each output row is then divided by its row's sum of
/// exponentials (dv values rather than tokens probabilities). Attention layers use it only for heads whose value width is
/// not a register multiple; the others run <see cref="TransposedAttentionKernel"/>.
/// </summary>
public static unsafe class AttentionKernel
{
    /// <summary>Floats of scratch one head of <paramref name="tokens"/> tokens needs on <paramref name="isa"/>.</summary>
    public static int ScratchSize(int tokens, in AttentionLayout layout, KernelIsa isa) =>
        GemmPacking.Size(layout.KeyDim, tokens, isa) + GemmPacking.Size(tokens, layout.ValueDim, isa)
        + RowBlock(isa) * (tokens + 1) + Bias(tokens, layout, isa);

    /// <summary>
    /// Attention of head <paramref name="head"/> of one image: <paramref name="qkv"/> holds tokens × layout.Channels,
    /// <paramref name="output"/> tokens × layout.OutputChannels (only this head's channels are written);
    /// <paramref name="scratch"/> at least <see cref="ScratchSize"/> floats.
    /// </summary>
    public static void Run(ReadOnlySpan<float> qkv, Span<float> output, int tokens, in AttentionLayout layout, int head, Span<float> scratch) =>
        Run(qkv, output, tokens, layout, head, scratch, KernelIsas.Best);

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, Span{float}, int, in AttentionLayout, int, Span{float})"/> on a given instruction set (tests compare them).</summary>
    public static void Run(ReadOnlySpan<float> qkv, Span<float> output, int tokens, in AttentionLayout layout, int head, Span<float> scratch, KernelIsa isa)
    {
        int dk = layout.KeyDim, dv = layout.ValueDim, c = layout.Channels, oc = layout.OutputChannels;
        if (qkv.Length < tokens * c || output.Length < tokens * oc) throw new ArgumentException("qkv or output is too short for the tokens");
        if (scratch.Length < ScratchSize(tokens, layout, isa)) throw new ArgumentException("scratch is too small");
        int kSize = GemmPacking.Size(dk, tokens, isa), vSize = GemmPacking.Size(tokens, dv, isa), block = RowBlock(isa);
        float scale = 1f / MathF.Sqrt(dk);
        int qo = layout.QueryOffset + head * layout.HeadStride, ko = layout.KeyOffset + head * layout.HeadStride,
            vo = layout.ValueOffset + head * layout.HeadStride;
        fixed (float* pqkv = qkv)
        fixed (float* pout = output)
        fixed (float* ps = scratch)
        {
            float* kt = ps, v = ps + kSize, scores = v + vSize, inverseSums = scores + block * tokens, zeros = inverseSums + block;
            new Span<float>(zeros, Bias(tokens, layout, isa)).Clear();
            // kᵀ[d, n] = k[n, d]·scale: the scale rides on the keys, so q needs no copy.
            GemmPacking.Pack(pqkv + ko, 1, c, dk, tokens, scale, kt, isa);
            GemmPacking.Pack(pqkv + vo, c, 1, tokens, dv, 1f, v, isa);
            for (int row = 0; row < tokens; row += block)
            {
                int end = Math.Min(tokens, row + block);
                // Row r of the block lives at scores + (r − row)·tokens; the GEMMs address rows absolutely.
                float* rebased = scores - (nint)row * tokens;
                Gemm.Run(new GemmCall(pqkv + qo, c, dk, tokens, kt, zeros, rebased, tokens), isa, row, end);
                SimdSoftmax.Rows(scores, end - row, tokens, tokens, inverseSums, isa);
                Gemm.Run(new GemmCall(rebased, tokens, tokens, dv, v, zeros, pout + head * dv, oc), isa, row, end);
                // The softmax's normalisation, applied to the dv outputs of each row instead of its tokens probabilities.
                ScaleRows(pout + (nint)row * oc + head * dv, end - row, dv, oc, inverseSums, isa);
            }
        }
    }

    /// <summary>Row r of <paramref name="rows"/> rows of <paramref name="width"/> values, <paramref name="stride"/> apart, times factors[r].</summary>
    internal static void ScaleRows(float* data, int rows, int width, int stride, float* factors, KernelIsa isa)
    {
        switch (isa)
        {
            case KernelIsa.Avx512: ScaleRows<Avx512Simd, Vector512<float>>(data, rows, width, stride, factors); break;
            case KernelIsa.Avx2: ScaleRows<Avx2Simd, Vector256<float>>(data, rows, width, stride, factors); break;
            default: ScaleRows<PortableSimd, System.Numerics.Vector<float>>(data, rows, width, stride, factors); break;
        }
    }

    // A head's dv outputs are one to four registers: a span-based scale per row cost more than the multiplies
    // (12 of ~200 µs for ViT-T's eight heads of one block). Also TransposedAttentionKernel's, per query block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ScaleRows<TS, TV>(float* data, int rows, int width, int stride, float* factors) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, full = width - width % w, tail = width - full;
        for (int r = 0; r < rows; r++)
        {
            float* row = data + (nint)r * stride;
            TV f = TS.Splat(factors[r]);
            for (int i = 0; i < full; i += w) TS.Store(row + i, TS.Multiply(TS.Load(row + i), f));
            if (tail > 0) TS.StorePartial(row + full, TS.Multiply(TS.LoadPartial(row + full, tail), f), tail);
        }
    }

    // One GEMM tile's rows: each block's scores then fit in L1 between the two products.
    private static int RowBlock(KernelIsa isa) => isa == KernelIsa.Avx512 ? 12 : 6;

    // Zero bias as wide as the padded columns of either product.
    private static int Bias(int tokens, in AttentionLayout layout, KernelIsa isa) =>
        Math.Max(GemmPacking.Size(1, tokens, isa), GemmPacking.Size(1, layout.ValueDim, isa));
}
