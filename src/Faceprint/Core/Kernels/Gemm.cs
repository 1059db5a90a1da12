using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// C[M, N] = act(A[M, K]·B[K, N] + bias) (+ residual; not with GELU): the work of every 1×1 conv, every im2col'd dense conv and
/// every fully connected layer in NHWC (A's rows are pixels or images, K is input channels or features). B is
/// pre-packed into <see cref="GemmWeights"/>; rows are walked in register tiles (12 rows on AVX-512, 6 on AVX2 and
/// portable), each tile sweeping all column panels while its rows of A stay in L1.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C. A's rows are <paramref name="lda"/>
    /// apart (≥ K); C and <paramref name="residual"/> (empty for none, else C's size) are dense with N columns.
    /// </summary>
    public static void Run(ReadOnlySpan<float> a, int lda, GemmWeights b, Span<float> c, int rowStart, int rowEnd, ReadOnlySpan<float> residual = default)
    {
        if (rowEnd <= rowStart) return;
        if (lda < b.K) throw new ArgumentException($"lda {lda} is less than K {b.K}");
        if ((long)(rowEnd - 1) * lda + b.K > a.Length) throw new ArgumentException("A is too short for the requested rows");
        if ((long)rowEnd * b.N > c.Length) throw new ArgumentException("C is too short for the requested rows");
        if (!residual.IsEmpty && residual.Length < (long)rowEnd * b.N) throw new ArgumentException("residual is too short for the requested rows");
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pr = residual)
            Run(pa, lda, b, pc, residual.IsEmpty ? null : pr, rowStart, rowEnd);
    }

    /// <summary>Pointer form for layers that already hold pinned buffers; no bounds checks.</summary>
    internal static void Run(float* a, int lda, GemmWeights b, float* c, float* residual, int rowStart, int rowEnd)
    {
        // The GELU pass follows the tile's residual add, so the two cannot be combined (graph fusion never asks for it).
        if (b.Activation.Kind == ActivationKind.Gelu && residual != null) throw new ArgumentException("GELU and a residual add cannot be fused into one GEMM");
        fixed (float* packed = b.Packed)
        fixed (float* bias = b.Bias)
        fixed (float* slopes = b.Slopes)
        {
            var call = new GemmCall(a, lda, b, packed, bias, slopes, c, residual);
            switch (b.Isa)
            {
                case KernelIsa.Avx512:
                    Rows<Avx512Simd, Vector512<float>>(call, b.Panels, rowStart, rowEnd);
                    break;
                case KernelIsa.Avx2:
                    Rows<Avx2Simd, Vector256<float>>(call, b.Panels, rowStart, rowEnd);
                    break;
                default:
                    Rows<PortableSimd, System.Numerics.Vector<float>>(call, b.Panels, rowStart, rowEnd);
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
                Rows<Avx512Simd, Vector512<float>>(call, panels, rowStart, rowEnd);
                break;
            case KernelIsa.Avx2:
                Rows<Avx2Simd, Vector256<float>>(call, panels, rowStart, rowEnd);
                break;
            default:
                Rows<PortableSimd, System.Numerics.Vector<float>>(call, panels, rowStart, rowEnd);
                break;
        }
    }

    // A row range this short is walked panel by panel: each panel of B is read from memory once and reused from L1/L2 by
    // every row tile, instead of the whole of B being streamed again per row tile. At batch 1 the weights of a
    // late-stage layer (16–49 pixels, megabytes of B) come from DRAM, so that second stream cost as much as the FMAs.
    private const int PanelMajorRows = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TS, TV>(in GemmCall g, int panels, int rowStart, int rowEnd) where TS : struct, ISimd<TV> where TV : struct
    {
        int mr = TS.GemmRows, w = TS.Width;
        if (rowEnd - rowStart <= PanelMajorRows)
        {
            for (int panel = 0; panel < panels; panel++)
            {
                bool two = g.N - panel * 2 * w > w;
                for (int row = rowStart; row < rowEnd;)
                {
                    int rows = TileRows(rowEnd - row, mr);
                    Tile<TS, TV>(g, row, rows, panel, two);
                    row += rows;
                }
            }
            if (g.Activation == ActivationKind.Gelu) GeluKernel.Rows<TS, TV>(g.C + (nint)rowStart * g.Ldc, g.C + (nint)rowStart * g.Ldc, (rowEnd - rowStart) * g.N);
            return;
        }
        for (int row = rowStart, rows; row < rowEnd; row += rows)
        {
            rows = TileRows(rowEnd - row, mr);
            // The last panel may hold only one register's worth of real columns: skip the empty half.
            for (int panel = 0; panel < panels; panel++) Tile<TS, TV>(g, row, rows, panel, g.N - panel * 2 * w > w);
            // GELU runs over the block just written (still in cache) rather than inside the tile: a call or its long
            // body in the epilogue made the JIT spill the accumulators of every GEMM, whatever its activation.
            if (g.Activation == ActivationKind.Gelu) GeluKernel.Rows<TS, TV>(g.C + (nint)row * g.Ldc, g.C + (nint)row * g.Ldc, rows * g.N);
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

    private static void Tile<TS, TV>(in GemmCall g, int row, int rows, int panel, bool two) where TS : struct, ISimd<TV> where TV : struct
    {
        switch (rows)
        {
            case 12: Tile<TS, TV, T12>(g, row, panel, two); break;
            case 11: Tile<TS, TV, T11>(g, row, panel, two); break;
            case 10: Tile<TS, TV, T10>(g, row, panel, two); break;
            case 9: Tile<TS, TV, T9>(g, row, panel, two); break;
            case 8: Tile<TS, TV, T8>(g, row, panel, two); break;
            case 7: Tile<TS, TV, T7>(g, row, panel, two); break;
            case 6: Tile<TS, TV, T6>(g, row, panel, two); break;
            case 5: Tile<TS, TV, T5>(g, row, panel, two); break;
            case 4: Tile<TS, TV, T4>(g, row, panel, two); break;
            case 3: Tile<TS, TV, T3>(g, row, panel, two); break;
            case 2: Tile<TS, TV, T2>(g, row, panel, two); break;
            default: Tile<TS, TV, T1>(g, row, panel, two); break;
        }
    }

    private static void Tile<TS, TV, TR>(in GemmCall g, int row, int panel, bool two)
        where TS : struct, ISimd<TV> where TV : struct where TR : struct, ITileCount
    {
        if (two) GemmTile<TS, TV, TR, T2>.Run(g, row, panel);
        else GemmTile<TS, TV, TR, T1>.Run(g, row, panel);
    }
}
