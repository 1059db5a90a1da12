using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>
/// The <see cref="Int8Isa.Avx512Vnni"/> path of the int8 GEMM: per tile of up to <see cref="Int8VnniKernels.Rows"/> rows,
/// one call into the emitted kernel sums the tile against every column panel into a per-thread block, then
/// <see cref="Int8GemmTile{TD, TR, TC}"/>'s epilogue (the same code the 256-bit path runs) turns each panel's sums
/// into C, so both paths give bit-identical outputs.
/// </summary>
internal static unsafe class Int8VnniGemm
{
    // One thread's sums, [panel][row][16] ints; grows to the widest GEMM seen, then is reused by every call.
    [ThreadStatic] private static int[]? _sums;

    /// <summary>Rows [0, <paramref name="rowCount"/>) of the call, every panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tiles(in Int8GemmCall g, int panels, int rowCount)
    {
        var kernels = Int8VnniKernels.Instance ?? throw new InvalidOperationException("the AVX-512 VNNI kernels cannot run on this machine");
        int* sums = Sums(Int8VnniKernels.Rows * panels * Int8GemmWeights.PanelWidth);
        nint lda = g.Lda;
        for (int row = 0; row < rowCount; row += Int8VnniKernels.Rows)
        {
            int rows = Math.Min(Int8VnniKernels.Rows, rowCount - row);
            kernels.Run(rows, g.A + row * lda, lda, g.B, g.Steps, sums, panels);
            int panelInts = rows * Int8GemmWeights.PanelWidth;
            for (int panel = 0; panel < panels; panel++)
            {
                // The last panel may hold only one register's worth of real columns: its epilogue skips the empty half.
                if (g.N - panel * Int8GemmWeights.PanelWidth > 8) Int8GemmTile<VnniDot, T1, T2>.EmitSums(g, row, rows, panel, sums + panel * panelInts);
                else Int8GemmTile<VnniDot, T1, T1>.EmitSums(g, row, rows, panel, sums + panel * panelInts);
            }
        }
    }

    /// <summary>This thread's block of at least <paramref name="count"/> ints, 64-byte aligned (pinned, so the address holds).</summary>
    private static int* Sums(int count)
    {
        const int alignInts = 16;
        var sums = _sums;
        if (sums == null || sums.Length < count + alignInts) _sums = sums = GC.AllocateArray<int>(count + alignInts, pinned: true);
        nint at = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(sums));
        return (int*)((at + 63) & ~(nint)63);
    }
}
