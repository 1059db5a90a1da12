using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Softmax attention for one head at a few dozen tokens (FaceLiVT's MHSA stages: 49 and 16), with the query tokens
/// across the lanes of a few registers instead of down the rows of a GEMM: the scores are computed transposed,
/// Sᵀ = (k·scale)·qᵀ, so every softmax is a column of Sᵀ — maxima, exponentials and sums run lane-wise over the key
/// rows with no horizontal reduction — and each normalised column is then the k-major left operand of O = P·v,
/// read straight from Sᵀ, while v's rows are read in place from the QKV tensor. Only q and k (the key width wide) are
/// copied, transposed; nothing is padded to a register multiple but the token lanes, and the output is written in
/// place. Sums run in another order than <see cref="AttentionKernel"/>'s, so results agree to rounding, not bits.
/// </summary>
public static unsafe class SmallAttentionKernel
{
    private const int CacheLineFloats = 16;

    // Token lanes are at most four AVX-512 registers: Sᵀ then fits in L1 with the transposed q and k.
    private const int MaxTokens = 64;

    // Zero biases for the tiles: the products have none.
    private const int Zeros = 12;

    /// <summary>Whether this kernel runs <paramref name="tokens"/> tokens of <paramref name="layout"/> on <paramref name="isa"/>.</summary>
    public static bool Fits(int tokens, in AttentionLayout layout, KernelIsa isa) =>
        tokens <= MaxTokens && layout.ValueDim % KernelIsas.Width(isa) == 0;

    /// <summary>Floats of scratch one head needs.</summary>
    public static int ScratchSize(int tokens, in AttentionLayout layout, KernelIsa isa)
    {
        int lanes = Lanes(tokens, isa);
        return (2 * layout.KeyDim + tokens) * lanes + Zeros + CacheLineFloats;
    }

    /// <summary>
    /// Attention of head <paramref name="head"/> over one image's <paramref name="tokens"/> rows of <paramref name="qkv"/>
    /// (<see cref="AttentionLayout.Channels"/> wide), written to its channels of <paramref name="output"/>
    /// (<see cref="AttentionLayout.OutputChannels"/> wide).
    /// </summary>
    public static void Run(ReadOnlySpan<float> qkv, Span<float> output, int tokens, in AttentionLayout layout, int head, Span<float> scratch, KernelIsa isa)
    {
        if (!Fits(tokens, layout, isa)) throw new ArgumentException($"{tokens} tokens with value width {layout.ValueDim} do not fit this kernel");
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

    private static int Lanes(int tokens, KernelIsa isa)
    {
        int w = KernelIsas.Width(isa);
        return (tokens + w - 1) / w * w;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Head<TS, TV>(float* qkv, float* output, float* scratch, int tokens, in AttentionLayout layout, int head)
        where TS : struct, ISimd<TV> where TV : struct
    {
        int w = TS.Width, lanes = (tokens + w - 1) / w * w, dk = layout.KeyDim, dv = layout.ValueDim, c = layout.Channels, oc = layout.OutputChannels;
        int mr = TS.GemmRows;
        float scale = 1f / MathF.Sqrt(dk);
        // Register rows start on a cache line so no load splits one.
        float* qt = scratch + (CacheLineFloats - (int)((nuint)scratch / sizeof(float) % CacheLineFloats)) % CacheLineFloats;
        float* kt = qt + (nint)dk * lanes, st = kt + (nint)dk * lanes, zeros = st + (nint)tokens * lanes;
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
        // Sᵀ[m, n] = Σ_d kᵀ[d, m]·qᵀ[d, n]: key rows m, query lanes n.
        for (int m0 = 0, rows; m0 < tokens; m0 += rows)
        {
            rows = Gemm.TileRows(tokens - m0, mr);
            for (int n0 = 0; n0 < lanes; n0 += 2 * w)
                RegisterRowTile<TS, TV>.Run(rows, lanes - n0 > w, zeros, kt + m0, lanes, dk, qt + n0, lanes, st + (nint)m0 * lanes + n0, lanes, kt + m0);
        }
        // Each query's softmax is one lane of Sᵀ's columns: max, exp and sum down the key rows, then normalise in place.
        for (int n0 = 0; n0 < lanes; n0 += w)
        {
            float* column = st + n0;
            TV max = TS.Load(column);
            for (int m = 1; m < tokens; m++) max = TS.Max(max, TS.Load(column + (nint)m * lanes));
            TV sum = TS.Splat(0f);
            for (int m = 0; m < tokens; m++)
            {
                float* at = column + (nint)m * lanes;
                TV e = SimdMath<TS, TV>.ExpOfNonPositive(TS.Subtract(TS.Load(at), max));
                TS.Store(at, e);
                sum = TS.Add(sum, e);
            }
            TV inverse = TS.Divide(TS.Splat(1f), sum);
            for (int m = 0; m < tokens; m++) TS.Store(column + (nint)m * lanes, TS.Multiply(TS.Load(column + (nint)m * lanes), inverse));
        }
        // O[n, :] = Σ_m P[n, m]·v[m, :]: P's k-major tile is Sᵀ's row m from lane n0 on; v's rows are read where they are.
        float* o = output + head * dv;
        for (int n0 = 0, rows; n0 < tokens; n0 += rows)
        {
            rows = Gemm.TileRows(tokens - n0, mr);
            for (int d0 = 0; d0 < dv; d0 += 2 * w)
                RegisterRowTile<TS, TV>.Run(rows, dv - d0 > w, zeros, st + n0, lanes, tokens, v + d0, c, o + (nint)n0 * oc + d0, oc, st + n0);
        }
    }
}
