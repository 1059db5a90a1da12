using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// C[M, N] = act(A[M, K]·B[K, N] + bias) (+ residual; not with GELU): the work of every 1×1 conv, every im2col'd dense conv and
/// every fully connected layer in NHWC (A's rows are pixels or images, K is input channels or features). B is
/// pre-packed into <see cref="GemmWeights"/>; rows are walked in register tiles (12 rows on AVX-512, 6 on AVX2 and
/// portable). K is cut into blocks and the column panels into groups so that a tile's block of A stays in L1 and the
/// group of B panels in L2 while every row tile sweeps it; the tile prefetches the next panel as it goes, so weights
/// that arrive cold from memory come in ahead of use.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C. A's rows are <paramref name="lda"/>
    /// apart (≥ K); C and <paramref name="residual"/> (empty for none, else C's size) are dense with N columns. When
    /// <paramref name="next"/> (the weights of the GEMM that runs after this one) is given, its first panel is prefetched
    /// while this call's last panel computes (same result either way).
    /// </summary>
    public static void Run(ReadOnlySpan<float> a, int lda, GemmWeights b, Span<float> c, int rowStart, int rowEnd, ReadOnlySpan<float> residual = default,
        GemmWeights? next = null)
    {
        if (rowEnd <= rowStart) return;
        if (lda < b.K) throw new ArgumentException($"lda {lda} is less than K {b.K}");
        if ((long)(rowEnd - 1) * lda + b.K > a.Length) throw new ArgumentException("A is too short for the requested rows");
        if ((long)rowEnd * b.N > c.Length) throw new ArgumentException("C is too short for the requested rows");
        if (!residual.IsEmpty && residual.Length < (long)rowEnd * b.N) throw new ArgumentException("residual is too short for the requested rows");
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pr = residual)
        fixed (float* pn = next?.Packed)
            Run(pa, lda, b, pc, residual.IsEmpty ? null : pr, rowStart, rowEnd, 0, b.Panels, pn);
    }

    /// <summary>
    /// Computes rows [0, <paramref name="rows"/>) of C in the column panels [<paramref name="panelStart"/>,
    /// <paramref name="panelEnd"/>) only (panels are <see cref="GemmWeights.PanelWidth"/> columns of B): a GEMM with few
    /// rows and many weights (a fully connected layer at small batch) splits over threads by columns, so each thread
    /// reads its share of the weights once instead of all of them. Same bits as <see cref="Run(ReadOnlySpan{float}, int, GemmWeights, Span{float}, int, int, ReadOnlySpan{float}, GemmWeights)"/>.
    /// </summary>
    internal static void RunPanels(ReadOnlySpan<float> a, int lda, GemmWeights b, Span<float> c, int rows, int panelStart, int panelEnd)
    {
        if (rows <= 0 || panelEnd <= panelStart) return;
        if (panelStart < 0 || panelEnd > b.Panels) throw new ArgumentOutOfRangeException(nameof(panelEnd), $"panels [{panelStart}, {panelEnd}) outside [0, {b.Panels})");
        if (lda < b.K) throw new ArgumentException($"lda {lda} is less than K {b.K}");
        if ((long)(rows - 1) * lda + b.K > a.Length) throw new ArgumentException("A is too short for the requested rows");
        if ((long)rows * b.N > c.Length) throw new ArgumentException("C is too short for the requested rows");
        fixed (float* pa = a)
        fixed (float* pc = c)
            Run(pa, lda, b, pc, null, 0, rows, panelStart, panelEnd);
    }

    /// <summary>Pointer form for layers that already hold pinned buffers; no bounds checks.</summary>
    internal static void Run(float* a, int lda, GemmWeights b, float* c, float* residual, int rowStart, int rowEnd) =>
        Run(a, lda, b, c, residual, rowStart, rowEnd, 0, b.Panels);

    private static void Run(float* a, int lda, GemmWeights b, float* c, float* residual, int rowStart, int rowEnd, int panelStart, int panelEnd,
        float* next = null)
    {
        // The GELU pass follows the tile's residual add, so the two cannot be combined (graph fusion never asks for it).
        if (b.Activation.Kind == ActivationKind.Gelu && residual != null) throw new ArgumentException("GELU and a residual add cannot be fused into one GEMM");
        fixed (float* packed = b.Packed)
        fixed (float* bias = b.Bias)
        fixed (float* slopes = b.Slopes)
        {
            var call = new GemmCall(a, lda, b, packed, bias, slopes, c, residual, next);
            switch (b.Isa)
            {
                case KernelIsa.Avx512:
                    Rows<Avx512Simd, Vector512<float>>(call, panelStart, panelEnd, rowStart, rowEnd);
                    break;
                case KernelIsa.Avx2:
                    Rows<Avx2Simd, Vector256<float>>(call, panelStart, panelEnd, rowStart, rowEnd);
                    break;
                default:
                    Rows<PortableSimd, System.Numerics.Vector<float>>(call, panelStart, panelEnd, rowStart, rowEnd);
                    break;
            }
        }
    }

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of a call whose B was packed at run time (<see cref="GemmPacking"/>).</summary>
    internal static void Run(in GemmCall call, KernelIsa isa, int rowStart, int rowEnd)
    {
        if (rowEnd <= rowStart) return;
        int panels = (call.N + 2 * KernelIsas.Width(isa) - 1) / (2 * KernelIsas.Width(isa));
        switch (isa)
        {
            case KernelIsa.Avx512:
                Rows<Avx512Simd, Vector512<float>>(call, 0, panels, rowStart, rowEnd);
                break;
            case KernelIsa.Avx2:
                Rows<Avx2Simd, Vector256<float>>(call, 0, panels, rowStart, rowEnd);
                break;
            default:
                Rows<PortableSimd, System.Numerics.Vector<float>>(call, 0, panels, rowStart, rowEnd);
                break;
        }
    }

    // K per block: a 12-row tile's A block (12·KBlock floats) and one B panel block (KBlock·32 floats) share L1.
    internal const int KBlock = 512;

    // Bytes of packed B one block of panels may take: it stays in L2 while every row tile of a longer call sweeps it, so
    // each panel leaves memory once however many row tiles read it.
    private const int PanelBlockBytes = 384 * 1024;

    // Row ranges up to this many rows (batch-1 7×7 and 4×4 stages, a ViT image's 144 tokens) walk B panel by panel;
    // twelve 12-row tiles then share each next-panel prefetch (ViT-T batch 1 one thread, one process alternating 64 and
    // 144: q25 18.52 -> 17.93 and 19.18 -> 18.67 ms; ViT-S 70.2 -> 67.5 ms, another run mixed).
    internal const int PanelMajorRows = 144;

    // Panels each row tile sweeps before the next tile starts. A short row range walks panel by panel: every row tile
    // uses a panel while it is in L1, right after it arrives, so cold weights stream from memory steadily instead of in
    // a burst while the first tile sweeps a group and not at all while the others re-read it from L2 (cold-weight
    // 49x256x768 and 16x512x1536 GEMMs 7–13% faster, FaceLiVT-M batch 1 1.5–2.7%).
    internal static int PanelGroup(int rows, int kc, int pw) =>
        rows <= PanelMajorRows ? 1 : Math.Max(1, PanelBlockBytes / (kc * pw * sizeof(float)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TS, TV>(in GemmCall g, int panelStart, int panelEnd, int rowStart, int rowEnd) where TS : struct, ISimd<TV> where TV : struct
    {
        int mr = TS.GemmRows, w = TS.Width, pw = 2 * w;
        // K splits into near-equal blocks of at most KBlock; the partial sums wait in C between blocks (same order, same bits).
        int kBlocks = (g.K + KBlock - 1) / KBlock, kc = (g.K + kBlocks - 1) / kBlocks;
        int group = PanelGroup(rowEnd - rowStart, kc, pw);
        for (int k0 = 0; k0 < g.K; k0 += kc)
        {
            int k1 = Math.Min(g.K, k0 + kc);
            bool first = k0 == 0, last = k1 == g.K;
            for (int p0 = panelStart; p0 < panelEnd; p0 += group)
            {
                int p1 = Math.Min(panelEnd, p0 + group);
                // Walking panel by panel, the row tiles share out the prefetch of the next panel (tile i fetches the i-th
                // part of its k rows) instead of the first tile fetching all of it in a burst that stalls its loads
                // (FaceLiVT-M batch 1 thread CPU -2.5 to -4%, one process, ORT runs between, loaded machine).
                int tiles = group == 1 ? (rowEnd - rowStart + mr - 1) / mr : 0;
                for (int row = rowStart, rows, tile = 0; row < rowEnd; row += rows, tile++)
                {
                    rows = TileRows(rowEnd - row, mr);
                    for (int panel = p0; panel < p1; panel++)
                    {
                        // The last panel may hold only one register's worth of real columns: skip the empty half.
                        bool two = g.N - panel * pw > w;
                        switch (rows)
                        {
                            case 12: Tile<TS, TV, T12>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 11: Tile<TS, TV, T11>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 10: Tile<TS, TV, T10>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 9: Tile<TS, TV, T9>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 8: Tile<TS, TV, T8>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 7: Tile<TS, TV, T7>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 6: Tile<TS, TV, T6>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 5: Tile<TS, TV, T5>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 4: Tile<TS, TV, T4>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 3: Tile<TS, TV, T3>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            case 2: Tile<TS, TV, T2>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                            default: Tile<TS, TV, T1>(g, row, panel, k0, k1, first, last, two, tile, tiles); break;
                        }
                    }
                    // GELU runs over the block just written (still in cache) rather than inside the tile: a call or its long
                    // body in the epilogue made the JIT spill the accumulators of every GEMM, whatever its activation.
                    // One call per block (GeluKernel.Block), not one per row.
                    if (last && g.Activation == ActivationKind.Gelu && group > 1)
                    {
                        int c0 = p0 * pw, c1 = Math.Min(g.N, p1 * pw);
                        GeluKernel.Block<TS, TV>(g.C + (nint)row * g.Ldc + c0, g.Ldc, rows, c1 - c0);
                    }
                }
            }
            // Walking panel by panel (at most 144 rows), GELU waits until every panel is done: run between the tiles of a
            // panel, its division chains held up the weight stream (FaceLiVT-M-SA batch 1, stages 3-4 GELU convs' per-layer
            // minima less the same convs' minima in the train form, 3 alternating runs: 142/105/85 -> -38/12/43 us; T's
            // separate GELU pass takes 43). The rows are at most 144 × N and still in L2.
            if (last && g.Activation == ActivationKind.Gelu && group == 1)
            {
                int c0 = panelStart * pw, c1 = Math.Min(g.N, panelEnd * pw);
                GeluKernel.Block<TS, TV>(g.C + (nint)rowStart * g.Ldc + c0, g.Ldc, rowEnd - rowStart, c1 - c0);
            }
        }
    }

    // Rows of the next tile when `left` rows remain: the rows are spread evenly over the tiles needed (49 rows run as
    // 10+10+10+10+9, not 12+12+12+12+1), since a tile of one or two rows keeps too few independent accumulators to hide
    // the FMA latency (2–4% off the 49- and 16-row GEMMs of FaceLiVT's late stages).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TileRows(int left, int mr)
    {
        int tiles = (left + mr - 1) / mr;
        return (left + tiles - 1) / tiles;
    }

    private static void Tile<TS, TV, TR>(in GemmCall g, int row, int panel, int k0, int k1, bool first, bool last, bool two, int tile, int tiles)
        where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount
    {
        if (two) GemmTile<TS, TV, TR, T2>.Run(g, row, panel, k0, k1, first, last, tile, tiles);
        else GemmTile<TS, TV, TR, T1>.Run(g, row, panel, k0, k1, first, last, tile, tiles);
    }
}
