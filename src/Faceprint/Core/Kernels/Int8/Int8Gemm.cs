using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// C[M, N] = act(dequant(quant(A)·B) + bias) (+ residual) for float A: each block of A's rows is quantized into the
/// caller's scratch with the layer's calibrated <see cref="QuantParams"/>, multiplied as u8·s8 with exact 32-bit sums,
/// and written back as float by a fused epilogue (see <see cref="Int8GemmWeights"/> for the arithmetic). Float in
/// and out keeps int8 layers interchangeable with the fp32 ones in any graph.
/// </summary>
public static unsafe class Int8Gemm
{
    // Quantized A rows per block: the block (≤ 32 KiB) stays in L1/L2 while every column panel sweeps it.
    private const int BlockBytes = 32 * 1024;

    private static int TileRows(Int8Isa isa) => isa switch
    {
        Int8Isa.Avx512Vnni => Native.Int8VnniKernels.Rows,
        Int8Isa.AvxVnni => VnniDot.Rows,
        Int8Isa.Avx2 => Avx2Dot.Rows,
        _ => 1,
    };

    /// <summary>Bytes of scratch <see cref="Run"/> needs for <paramref name="b"/>.</summary>
    public static int ScratchBytes(Int8GemmWeights b) => BlockRows(b) * b.PaddedK * ElementBytes(b.Isa);

    private static int ElementBytes(Int8Isa isa) => isa == Int8Isa.Avx2 ? 2 : 1;

    private static int BlockRows(Int8GemmWeights b) =>
        Math.Max(TileRows(b.Isa), BlockBytes / (b.PaddedK * ElementBytes(b.Isa)) / TileRows(b.Isa) * TileRows(b.Isa));

    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C. A's rows are <paramref name="lda"/>
    /// apart (≥ K); C and <paramref name="residual"/> (empty for none) are dense with N columns; <paramref name="scratch"/>
    /// holds at least <see cref="ScratchBytes"/> bytes.
    /// </summary>
    public static void Run(ReadOnlySpan<float> a, int lda, Int8GemmWeights b, Span<float> c, int rowStart, int rowEnd,
        Span<byte> scratch, ReadOnlySpan<float> residual = default)
    {
        if (rowEnd <= rowStart) return;
        if (lda < b.K) throw new ArgumentException($"lda {lda} is less than K {b.K}");
        if ((long)(rowEnd - 1) * lda + b.K > a.Length) throw new ArgumentException("A is too short for the requested rows");
        if ((long)rowEnd * b.N > c.Length) throw new ArgumentException("C is too short for the requested rows");
        if (!residual.IsEmpty && residual.Length < (long)rowEnd * b.N) throw new ArgumentException("residual is too short for the requested rows");
        if (scratch.Length < ScratchBytes(b)) throw new ArgumentException($"scratch has {scratch.Length} bytes, needs {ScratchBytes(b)}");
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pr = residual)
        fixed (byte* ps = scratch)
            RunUnchecked(pa, null, lda, b, pc, null, default, residual.IsEmpty ? null : pr, rowStart, rowEnd, ps);
    }

    /// <summary>
    /// The general form: A as floats (<paramref name="aFloats"/>, quantized here) or as codes of the weights' input
    /// parameters (<paramref name="aCodes"/>, read in place where the layout allows); C as floats, or as codes of
    /// <paramref name="codeParams"/> when <paramref name="cCodes"/> is not null; <paramref name="residual"/> (floats) may be null.
    /// Buffers are as <see cref="Run(ReadOnlySpan{float}, int, Int8GemmWeights, Span{float}, int, int, Span{byte}, ReadOnlySpan{float})"/>
    /// describes, unchecked; codes of A may be read up to 3 bytes past a row's K.
    /// </summary>
    internal static void RunUnchecked(float* aFloats, byte* aCodes, int lda, Int8GemmWeights b, float* c, byte* cCodes, QuantParams codeParams, float* residual,
        int rowStart, int rowEnd, byte* scratch)
    {
        if (rowEnd <= rowStart) return;
        int block = BlockRows(b), kp = b.PaddedK;
        // VNNI and the portable loop read byte codes as they lie when rows are already K-padded: no copy at all.
        bool inPlace = aCodes != null && b.Isa != Int8Isa.Avx2 && lda == kp;
        fixed (byte* packed = b.Packed)
        fixed (float* scale = b.Scale)
        fixed (float* offset = b.Offset)
        fixed (float* slopes = b.Slopes)
        {
            for (int row = rowStart; row < rowEnd; row += block)
            {
                int rows = Math.Min(block, rowEnd - row);
                byte* a = scratch;
                if (inPlace) a = aCodes + (nint)row * lda;
                else if (aCodes != null) Int8Quantize.CopyRows(aCodes + (nint)row * lda, lda, rows, b.K, kp, scratch, Int8Isas.CodeLayout(b.Isa));
                else Int8Quantize.Rows(aFloats + (nint)row * lda, lda, rows, b.K, kp, b.InverseInputScale, b.Input.ZeroPoint, scratch, Int8Isas.CodeLayout(b.Isa));
                nint at = (nint)row * b.N;
                // The call's pointers start at this block, so its rows are 0-based.
                var call = new Int8GemmCall(a, kp * ElementBytes(b.Isa),
                    b, packed, scale, offset, slopes, c == null ? null : c + at, residual == null ? null : residual + at,
                    cCodes == null ? null : cCodes + at, codeParams);
                Multiply(call, b.Isa, b.Panels, rows);
            }
        }
    }

    /// <summary>Rows [0, <paramref name="rows"/>) of <paramref name="call"/> on <paramref name="isa"/>'s micro-kernels.</summary>
    internal static void Multiply(in Int8GemmCall call, Int8Isa isa, int panels, int rows)
    {
        switch (isa)
        {
            case Int8Isa.Avx512Vnni: Native.Int8VnniGemm.Tiles(call, panels, rows); break;
            case Int8Isa.AvxVnni: Tiles<VnniDot>(call, panels, rows); break;
            case Int8Isa.Avx2: Tiles<Avx2Dot>(call, panels, rows); break;
            default: Portable(call, rows); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tiles<TD>(in Int8GemmCall g, int panels, int rowCount) where TD : struct, IInt8Dot
    {
        int mr = TD.Rows;
        for (int row = 0; row < rowCount; row += mr)
        {
            int rows = Math.Min(mr, rowCount - row);
            for (int panel = 0; panel < panels; panel++)
            {
                // The last panel may hold only one register's worth of real columns: skip the empty half.
                bool two = g.N - panel * Int8GemmWeights.PanelWidth > 8;
                switch (rows)
                {
                    case 12: Tile<TD, T12>(g, row, panel, two); break;
                    case 11: Tile<TD, T11>(g, row, panel, two); break;
                    case 10: Tile<TD, T10>(g, row, panel, two); break;
                    case 9: Tile<TD, T9>(g, row, panel, two); break;
                    case 8: Tile<TD, T8>(g, row, panel, two); break;
                    case 7: Tile<TD, T7>(g, row, panel, two); break;
                    case 6: Tile<TD, T6>(g, row, panel, two); break;
                    case 5: Tile<TD, T5>(g, row, panel, two); break;
                    case 4: Tile<TD, T4>(g, row, panel, two); break;
                    case 3: Tile<TD, T3>(g, row, panel, two); break;
                    case 2: Tile<TD, T2>(g, row, panel, two); break;
                    default: Tile<TD, T1>(g, row, panel, two); break;
                }
            }
        }
    }

    private static void Tile<TD, TR>(in Int8GemmCall g, int row, int panel, bool two) where TD : struct, IInt8Dot where TR : struct, ITileCount
    {
        if (two) Int8GemmTile<TD, TR, T2>.Run(g, row, panel);
        else Int8GemmTile<TD, TR, T1>.Run(g, row, panel);
    }

    /// <summary>Plain integer loops over byte codes, with the same epilogue arithmetic as the vector tiles.</summary>
    internal static void Portable(in Int8GemmCall g, int rows)
    {
        var weights = (sbyte*)g.B;
        int kp = g.Steps * 4;
        for (int r = 0; r < rows; r++)
        {
            byte* ar = g.A + r * g.Lda;
            for (int o = 0; o < g.N; o++)
            {
                sbyte* w = weights + (nint)o * kp;
                int acc = 0;
                for (int i = 0; i < kp; i++) acc += ar[i] * w[i];
                float v = MathF.FusedMultiplyAdd(acc, g.Scale[o], g.Offset[o]);
                if (g.Activation == ActivationKind.PRelu) v = v >= 0 ? v : v * g.Slopes[o];
                else if (g.Activation == ActivationKind.Relu) v = Math.Max(v, 0f);
                nint at = (nint)r * g.Ldc + o;
                if (g.Residual != null) v += g.Residual[at];
                if (g.Codes != null)
                    g.Codes[at] = (byte)(g.CodeInverses != null ? Int8Quantize.Code(v, g.CodeInverses[o], g.CodeZeroPoints[o]) : Int8Quantize.Code(v, g.InverseCodeScale, g.CodeZeroPoint));
                else g.C[at] = v;
            }
        }
    }
}
