using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Softmax attention for one head with the query tokens across the lanes of a few registers instead of down the rows of
/// a GEMM: the scores are computed transposed, Sᵀ = (k·scale)·qᵀ, so every softmax is a column of Sᵀ — maxima,
/// exponentials and sums run lane-wise over the key rows with no horizontal reduction — and each column of
/// exponentials is then the k-major left operand of O = P·v, read straight from Sᵀ, while v's rows are read in place
/// from the QKV tensor. Only q and k (the key width wide) are copied, transposed; nothing is padded to a register
/// multiple but the token lanes, and the output is written in place. Up to 64 tokens (FaceLiVT's MHSA stages: 49 and
/// 16) all queries are one block; more (ViT's 144) go in blocks of two registers of queries, so a block's Sᵀ stays in
/// L1 from the score tiles to the P·V tiles. Sums run in another order than <see cref="AttentionKernel"/>'s, so
/// results agree to rounding, not bits.
/// </summary>
public static unsafe class TransposedAttentionKernel
{
    private const int CacheLineFloats = 16;

    // Up to four AVX-512 registers of token lanes run as one block: Sᵀ then fits in L1 with the transposed q and k.
    // Beyond, two-register blocks of queries: ViT's 144 tokens (dk 32, 64) took 0.87-0.91× the time of the packed
    // AttentionKernel per layer (one process, alternating; 2 to 4 registers within noise of each other).
    private const int MaxTokens = 64;

    // Zero biases for the tiles: the products have none.
    private const int Zeros = 12;

    /// <summary>
    /// Whether this kernel runs heads of <paramref name="layout"/> on <paramref name="isa"/>, at any token count: when a
    /// head's value width is a register multiple (P·V stores whole registers).
    /// </summary>
    public static bool Fits(in AttentionLayout layout, KernelIsa isa) => layout.ValueDim % KernelIsas.Width(isa) == 0;

    // Query lanes per block: all of them up to MaxTokens, else two registers' worth, so that a block's Sᵀ (keys × lanes)
    // stays in L1 between the score tiles that write it and the P·V tiles that read it.
    // (Past MaxTokens the lanes always exceed two registers: a register is at most 16 floats.)
    private static int Block(int tokens, int w) => tokens <= MaxTokens ? Lanes(tokens, w) : 2 * w;

    /// <summary>Floats of scratch one head needs.</summary>
    public static int ScratchSize(int tokens, in AttentionLayout layout, KernelIsa isa)
    {
        int w = KernelIsas.Width(isa), lanes = Lanes(tokens, w);
        int block = Block(tokens, w);
        return 2 * layout.KeyDim * lanes + (tokens + 1) * block + Zeros + CacheLineFloats;
    }

    /// <summary>
    /// Attention of head <paramref name="head"/> over one image's <paramref name="tokens"/> rows of <paramref name="qkv"/>
    /// (<see cref="AttentionLayout.Channels"/> wide), written to its channels of <paramref name="output"/>
    /// (<see cref="AttentionLayout.OutputChannels"/> wide).
    /// </summary>
    public static void Run(ReadOnlySpan<float> qkv, Span<float> output, int tokens, in AttentionLayout layout, int head, Span<float> scratch, KernelIsa isa)
    {
        if (!Fits(layout, isa)) throw new ArgumentException($"value width {layout.ValueDim} does not fit this kernel on {isa}");
        if (head < 0 || head >= layout.Heads) throw new ArgumentOutOfRangeException(nameof(head));
        if (qkv.Length < tokens * layout.Channels || output.Length < tokens * layout.OutputChannels) throw new ArgumentException("qkv or output is too short for the tokens");
        if (scratch.Length < ScratchSize(tokens, layout, isa)) throw new ArgumentException("scratch is too small");
        fixed (float* pqkv = qkv)
        fixed (float* pout = output)
        fixed (float* ps = scratch)
        {
            switch (isa)
            {
                case KernelIsa.Avx512: Head<Avx512Simd, Vector512<float>>(pqkv, pout, ps, tokens, layout, head); break;
                case KernelIsa.Avx2: Head<Avx2Simd, Vector256<float>>(pqkv, pout, ps, tokens, layout, head); break;
                default: Head<PortableSimd, Vector<float>>(pqkv, pout, ps, tokens, layout, head); break;
            }
        }
    }

    // Token lanes: the tokens rounded up to whole registers of w floats.
    private static int Lanes(int tokens, int w) => (tokens + w - 1) / w * w;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Head<TS, TV>(float* qkv, float* output, float* scratch, int tokens, in AttentionLayout layout, int head)
        where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, lanes = Lanes(tokens, w), dk = layout.KeyDim, dv = layout.ValueDim, c = layout.Channels, oc = layout.OutputChannels;
        int block = Block(tokens, w);
        float scale = 1f / MathF.Sqrt(dk);
        // Register rows start on a cache line so no load splits one.
        float* qt = scratch + (CacheLineFloats - (int)((nuint)scratch / sizeof(float) % CacheLineFloats)) % CacheLineFloats;
        float* kt = qt + (nint)dk * lanes, st = kt + (nint)dk * lanes, zeros = st + (nint)tokens * block, inverses = zeros + Zeros;
        new Span<float>(zeros, Zeros).Clear();
        float* q = qkv + layout.QueryOffset + head * layout.HeadStride, k = qkv + layout.KeyOffset + head * layout.HeadStride;
        float* v = qkv + layout.ValueOffset + head * layout.HeadStride;
        // qᵀ and (k·scale)ᵀ, [d][token lane]; lanes past the last token are zero.
        for (int d = 0; d < dk; d++)
        {
            new Span<float>(qt + (nint)d * lanes + tokens, lanes - tokens).Clear();
            new Span<float>(kt + (nint)d * lanes + tokens, lanes - tokens).Clear();
        }
        // Blocks of 8 tokens × 8 key channels transpose in registers where AVX is there (the same products, so the same
        // bits); the rest, and everything on the portable path, one value at a time.
        int blockedTokens = 0, blockedDims = 0;
        if (typeof(TS) != typeof(PortableSimd))
        {
            blockedTokens = tokens / 8 * 8;
            blockedDims = dk / 8 * 8;
            for (int n0 = 0; n0 < blockedTokens; n0 += 8)
                for (int d0 = 0; d0 < blockedDims; d0 += 8)
                {
                    GemmPacking.Transpose8(q + (nint)n0 * c + d0, c, 1f, qt + (nint)d0 * lanes + n0, lanes);
                    GemmPacking.Transpose8(k + (nint)n0 * c + d0, c, scale, kt + (nint)d0 * lanes + n0, lanes);
                }
        }
        for (int n = 0; n < tokens; n++)
        {
            float* qn = q + (nint)n * c, kn = k + (nint)n * c;
            for (int d = n < blockedTokens ? blockedDims : 0; d < dk; d++)
            {
                qt[(nint)d * lanes + n] = qn[d];
                kt[(nint)d * lanes + n] = kn[d] * scale;
            }
        }
        float* o = output + head * dv;
        for (int b0 = 0; b0 < tokens; b0 += block)
            QueryBlock<TS, TV>(qt + b0, kt, st, zeros, inverses, v, o + (nint)b0 * oc, tokens, lanes, Math.Min(block, lanes - b0), Math.Min(block, tokens - b0),
                block, dk, dv, c, oc);
    }

    /// <summary>
    /// Attention of the <paramref name="queries"/> queries whose transposed q starts at <paramref name="qt"/> (<paramref name="width"/>
    /// lanes, a register multiple): their scores into Sᵀ (<paramref name="tokens"/> × <paramref name="block"/>), softmax, P·v into
    /// <paramref name="o"/>. A method of its own so that its loops get the registers (inlined in the loop over blocks, FaceLiVT's
    /// single-block heads ran 2-5 % slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void QueryBlock<TS, TV>(float* qt, float* kt, float* st, float* zeros, float* inverses, float* v, float* o, int tokens, int lanes,
        int width, int queries, int block, int dk, int dv, int c, int oc) where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, mr = TS.GemmRows;
        // Sᵀ[m, n] = Σ_d kᵀ[d, m]·qᵀ[d, b0 + n]: key rows m, this block's query lanes n.
        for (int m0 = 0, rows; m0 < tokens; m0 += rows)
        {
            rows = Gemm.TileRows(tokens - m0, mr);
            for (int n0 = 0; n0 < width; n0 += 2 * w)
                RegisterRowTile<TS, TV>.Run(rows, width - n0 > w, zeros, kt + m0, lanes, dk, qt + n0, lanes, st + (nint)m0 * block + n0, block, kt + m0);
        }
        // Each query's softmax is one lane of Sᵀ's columns: max, exp and sum down the key rows, lane-wise.
        // The normalisation goes where it costs fewer multiplies: on the probabilities (tokens × block lanes) when a head's
        // outputs are wider than the keys are many (FaceLiVT's 16 and 49 tokens), else on the outputs (ViT's 144 tokens).
        bool scaleOutputs = queries * dv < tokens * width;
        for (int n0 = 0; n0 < width; n0 += w)
        {
            TV inverse = Softmax<TS, TV>(st + n0, tokens, block);
            if (scaleOutputs) TS.Store(inverses + n0, inverse);
            else
                for (int m = 0; m < tokens; m++) TS.Store(st + (nint)m * block + n0, TS.Multiply(TS.Load(st + (nint)m * block + n0), inverse));
        }
        // O[n, :] = Σ_m P[n, m]·v[m, :]: P's k-major tile is Sᵀ's row m from lane n0 on; v's rows are read where they are.
        for (int n0 = 0, rows; n0 < queries; n0 += rows)
        {
            rows = Gemm.TileRows(queries - n0, mr);
            for (int d0 = 0; d0 < dv; d0 += 2 * w)
                RegisterRowTile<TS, TV>.Run(rows, dv - d0 > w, zeros, st + n0, block, tokens, v + d0, c, o + (nint)n0 * oc + d0, oc, st + n0);
        }
        if (scaleOutputs) AttentionKernel.ScaleRows<TS, TV>(o, queries, dv, oc, inverses);
    }

    /// <summary>
    /// Replaces one register's column of <paramref name="tokens"/> scores, <paramref name="ld"/> apart, by e^(x − max) per
    /// lane and returns 1/Σ e^(x − max) per lane. Two accumulators each for the max and
    /// the sum: a single chain down 144 keys is latency bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Softmax<TS, TV>(float* column, int tokens, int ld) where TS : struct, ISimd<TV> where TV : struct
    {
        TV max0 = TS.Load(column), max1 = max0;
        int m = 1;
        for (; m + 1 < tokens; m += 2)
        {
            max0 = TS.Max(max0, TS.Load(column + (nint)m * ld));
            max1 = TS.Max(max1, TS.Load(column + (nint)(m + 1) * ld));
        }
        if (m < tokens) max0 = TS.Max(max0, TS.Load(column + (nint)m * ld));
        TV max = TS.Max(max0, max1), sum0 = TS.Splat(0f), sum1 = sum0;
        for (m = 0; m + 1 < tokens; m += 2)
        {
            float* at = column + (nint)m * ld;
            TV e0 = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(at), max));
            TV e1 = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(at + ld), max));
            TS.Store(at, e0);
            TS.Store(at + ld, e1);
            sum0 = TS.Add(sum0, e0);
            sum1 = TS.Add(sum1, e1);
        }
        if (m < tokens)
        {
            float* at = column + (nint)m * ld;
            TV e = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(at), max));
            TS.Store(at, e);
            sum0 = TS.Add(sum0, e);
        }
        return TS.Divide(TS.Splat(1f), TS.Add(sum0, sum1));
    }
}
