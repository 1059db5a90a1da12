using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// A dense conv over few input channels (the RGB stems, MTCNN's first convs; <see cref="StemConvKernel.Supports"/>) in 8
/// bits without gathering receptive fields. <see cref="Int8Conv"/> copies each output pixel's 27 codes (3×3×3) into an
/// im2col row, which cost more than the dot products on them; here the input rows one output row reads are interleaved
/// once into a band whose column bx holds the codes of input column bx for every kernel row, (ky, ci). A window of kw
/// adjacent band columns is then one contiguous run of kw·kh·cin codes in (kx, ky, ci) order, and the windows of
/// horizontally adjacent output pixels lie stride·kh·cin codes apart: the band is an A matrix with overlapping rows,
/// which <see cref="Int8Gemm"/>'s micro-kernels (every <see cref="Int8Isa"/>) read in place with the weights packed in
/// that K order (<see cref="ToBandOrder{T}"/>). Padding holds the zero point, the exact code of 0.0, so the sums are
/// <see cref="Int8Conv"/>'s exactly and the outputs the same bits; the epilogue writes floats or, for an int8 reader,
/// u8 codes per output channel (<see cref="StemConvCodes"/>).
/// </summary>
public static unsafe class Int8StemConv
{
    // Slack past the band and the region: a window's K padding (≤ 3 codes) and the 4-code moves that copy cin ≤ 4 codes
    // read or write up to this many bytes beyond the last element.
    private const int SlackBytes = 64;

    /// <summary>True when this kernel runs a dense conv of geometry <paramref name="g"/> (few input channels, not a plain GEMM).</summary>
    public static bool Supports(in ConvGeometry g) => StemConvKernel.Supports(g);

    private static int ElementBytes(Int8Isa isa) => isa == Int8Isa.Avx2 ? 2 : 1;

    // One image's input codes, rounded up to whole 32-byte lines so the band that follows starts aligned.
    private static long RegionBytes(in ConvGeometry g, Int8Isa isa) => ((long)g.InH * g.InW * g.InC * ElementBytes(isa) + SlackBytes + 31) / 32 * 32;

    private static int BandColumns(in ConvGeometry g) => (g.OutW - 1) * g.StrideW + g.KernelW;

    // One input row of zero points (the code of 0.0) that padding rows read, rounded likewise.
    private static long PadRowBytes(in ConvGeometry g, Int8Isa isa) => ((long)g.InW * g.InC * ElementBytes(isa) + SlackBytes + 31) / 32 * 32;

    /// <summary>Bytes of scratch <see cref="Run"/> needs for one image of geometry <paramref name="g"/>.</summary>
    public static int ScratchBytes(in ConvGeometry g, Int8GemmWeights w) =>
        checked((int)(RegionBytes(g, w.Isa) + PadRowBytes(g, w.Isa) + ((long)BandColumns(g) * g.KernelH * g.InC * ElementBytes(w.Isa) + SlackBytes)));

    /// <summary>
    /// A kernel in (ky, kx, ci) order per output channel (<see cref="Int8Conv.ToGemmOrder{T}"/>'s rows) reordered to the
    /// (kx, ky, ci) order of a band window; per-output-channel quantization gives the same codes in either order.
    /// </summary>
    public static T[] ToBandOrder<T>(ReadOnlySpan<T> gemmRows, int outChannels, int inChannels, int kh, int kw)
    {
        if (gemmRows.Length != (long)outChannels * inChannels * kh * kw)
            throw new ArgumentException($"rows have {gemmRows.Length} values, expected {outChannels}x{kh}x{kw}x{inChannels}");
        var band = new T[gemmRows.Length];
        int k = inChannels * kh * kw;
        for (int o = 0; o < outChannels; o++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++)
                    for (int ci = 0; ci < inChannels; ci++)
                        band[o * k + (kx * kh + ky) * inChannels + ci] = gemmRows[o * k + (ky * kw + kx) * inChannels + ci];
        return band;
    }

    /// <summary>
    /// Computes output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) (flat over n, y, x) of the conv
    /// with geometry <paramref name="g"/> and weights <paramref name="w"/> (K = kh·kw·cin in (kx, ky, ci) order,
    /// <see cref="ToBandOrder{T}"/>; N = cout) as floats into <paramref name="output"/> (+ <paramref name="residual"/>, empty
    /// for none, the output's size).
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, in ConvGeometry g, Int8GemmWeights w, Span<float> output, int pixelStart, int pixelEnd,
        Span<byte> scratch, ReadOnlySpan<float> residual = default)
    {
        if (pixelEnd <= pixelStart) return;
        Check(input, g, w, pixelStart, pixelEnd, scratch);
        if (output.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("output is too short for the requested pixels");
        if (!residual.IsEmpty && residual.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("residual is too short for the requested pixels");
        fixed (float* pi = input)
        fixed (float* po = output)
        fixed (float* pr = residual)
        fixed (byte* ps = scratch)
            RunPixels(pi, g, w, po, null, null, residual.IsEmpty ? null : pr, pixelStart, pixelEnd, ps);
    }

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, in ConvGeometry, Int8GemmWeights, Span{float}, int, int, Span{byte}, ReadOnlySpan{float})"/>,
    /// but writing output channel c as u8 codes of <paramref name="codes"/>' channel c into <paramref name="output"/>, one
    /// byte per element.
    /// </summary>
    internal static void RunCodes(ReadOnlySpan<float> input, in ConvGeometry g, Int8GemmWeights w, StemConvCodes codes, Span<byte> output,
        int pixelStart, int pixelEnd, Span<byte> scratch)
    {
        if (pixelEnd <= pixelStart) return;
        Check(input, g, w, pixelStart, pixelEnd, scratch);
        if (codes.Channels.Count != w.N) throw new ArgumentException($"{codes.Channels.Count} code parameters for {w.N} channels");
        if (output.Length < (long)pixelEnd * g.OutC) throw new ArgumentException("output is too short for the requested pixels");
        fixed (float* pi = input)
        fixed (byte* po = output)
        fixed (byte* ps = scratch)
            RunPixels(pi, g, w, null, po, codes, null, pixelStart, pixelEnd, ps);
    }

    private static void Check(ReadOnlySpan<float> input, in ConvGeometry g, Int8GemmWeights w, int pixelStart, int pixelEnd, Span<byte> scratch)
    {
        if (!Supports(g)) throw new ArgumentException($"geometry {g} is not a small-channel dense conv");
        if (w.K != g.KernelH * g.KernelW * g.InC || w.N != g.OutC) throw new ArgumentException($"weights are {w.N}x{w.K}, geometry needs {g.OutC}x{g.KernelH * g.KernelW * g.InC}");
        int images = (pixelEnd - 1) / (g.OutH * g.OutW) + 1;
        if (pixelStart < 0 || input.Length < (long)images * g.InH * g.InW * g.InC) throw new ArgumentException("input is too short for the requested pixels");
        if (scratch.Length < ScratchBytes(g, w)) throw new ArgumentException($"scratch has {scratch.Length} bytes, needs {ScratchBytes(g, w)}");
    }

    /// <summary>
    /// The checked calls' work: floats to <paramref name="output"/>, or, when <paramref name="codes"/> is set, u8 codes to
    /// <paramref name="codeOutput"/>; <paramref name="residual"/> (floats, null for none) is added before either.
    /// </summary>
    private static void RunPixels(float* input, in ConvGeometry g, Int8GemmWeights w, float* output, byte* codeOutput, StemConvCodes? codes, float* residual,
        int pixelStart, int pixelEnd, byte* scratch)
    {
        int eb = ElementBytes(w.Isa), perImage = g.OutH * g.OutW;
        nint pixelStep = (nint)g.StrideW * g.KernelH * g.InC * eb;
        byte* region = scratch, padRow = region + RegionBytes(g, w.Isa), band = padRow + PadRowBytes(g, w.Isa);
        int zero = w.Input.ZeroPoint;
        if (eb == 1) new Span<byte>(padRow, g.InW * g.InC).Fill((byte)zero);
        else new Span<ushort>(padRow, g.InW * g.InC).Fill((ushort)zero);
        var permute = Avx512Vbmi.IsSupported && g.KernelH == 3 ? BandPermutation(g.InC) : default;
        fixed (byte* packed = w.Packed)
        fixed (float* scale = w.Scale)
        fixed (float* offset = w.Offset)
        fixed (float* slopes = w.Slopes)
        {
            for (int p = pixelStart; p < pixelEnd;)
            {
                int n = p / perImage, first = p - n * perImage, end = Math.Min(perImage, pixelEnd - n * perImage);
                // Quantized once, however many windows read them.
                int top = Int8Conv.QuantizeReadRows(input, g, w, n, first, end, region);
                for (int at = first; at < end;)
                {
                    int oy = at / g.OutW, ox = at - oy * g.OutW, count = Math.Min(g.OutW - ox, end - at);
                    FillBand(region, top, padRow, g, oy, eb, zero, band, permute);
                    nint pixel = (nint)n * perImage + at, element = pixel * w.N;
                    var call = new Int8GemmCall(band + ox * pixelStep, pixelStep, w, packed, scale, offset, slopes,
                        output == null ? null : output + element, residual == null ? null : residual + element,
                        codeOutput == null ? null : codeOutput + element, channelCodes: codes);
                    Int8Gemm.Multiply(call, w.Isa, w.Panels, count);
                    at += count;
                }
                p = n * perImage + end;
            }
        }
    }

    /// <summary>
    /// Interleaves the kernel rows output row <paramref name="oy"/> reads into <paramref name="band"/>: column bx, kernel row
    /// ky holds input column bx − padLeft of input row oy·stride − padTop + ky (codes from <paramref name="region"/>, whose
    /// first row is <paramref name="top"/>, or from <paramref name="padRow"/>, all zero points, where that row is padding),
    /// or the zero point where the column is padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillBand(byte* region, int top, byte* padRow, in ConvGeometry g, int oy, int eb, int zeroPoint, byte* band, in Vector512<byte> permute)
    {
        int kh = g.KernelH, cin = g.InC, columns = BandColumns(g);
        nint slot = (nint)cin * eb, rowBytes = (nint)g.InW * slot, column = kh * slot;
        // Each kernel row's source at band column 0 (input column −padLeft): only columns inside the input are read through it.
        var rows = stackalloc byte*[kh];
        for (int ky = 0; ky < kh; ky++)
        {
            int iy = oy * g.StrideH - g.PadTop + ky;
            rows[ky] = ((uint)iy < (uint)g.InH ? region + (iy - top) * rowBytes : padRow) - g.PadLeft * slot;
        }
        int inFrom = Math.Min(g.PadLeft, columns), inTo = Math.Clamp(g.PadLeft + g.InW, inFrom, columns);
        // Slots are written in address order with whole 4-code moves (cin ≤ 4): each move's spare codes land in the next
        // slot, which the following move overwrites.
        byte* to = band;
        int bx = 0;
        if (eb == 1)
        {
            uint fill = (uint)zeroPoint * 0x01010101u;
            for (; bx < inFrom; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(uint*)to = fill;
            if (kh == 3 && Avx512Vbmi.IsSupported)
            {
                // Four columns per vpermt2b: the 16 codes from bx of kernel rows 0 and 1 side by side in one table, row 2's in
                // the other, permuted into four columns of (ky, ci); the 64-byte store's spare bytes land where the next group writes.
                var index = permute;
                byte* r0 = rows[0], r1 = rows[1], r2 = rows[2];
                nint step = 4 * column;
                for (; bx + 4 <= inTo; bx += 4, to += step)
                {
                    nint at = bx * slot;
                    var upper = Vector256.Create(Vector128.Load(r0 + at), Vector128.Load(r1 + at)).ToVector512Unsafe();
                    var lower = Vector128.Load(r2 + at).ToVector256().ToVector512();
                    Avx512Vbmi.PermuteVar64x8x2(upper, index, lower).Store(to);
                }
            }
            for (; bx < inTo; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(uint*)to = *(uint*)(rows[ky] + bx * slot);
            for (; bx < columns; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(uint*)to = fill;
        }
        else
        {
            ulong fill = (ulong)zeroPoint * 0x0001000100010001ul;
            for (; bx < inFrom; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(ulong*)to = fill;
            for (; bx < inTo; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(ulong*)to = *(ulong*)(rows[ky] + bx * slot);
            for (; bx < columns; bx++)
                for (int ky = 0; ky < kh; ky++, to += slot) *(ulong*)to = fill;
        }
    }

    /// <summary>
    /// The vpermt2b indices taking four band columns of (ky, ci) codes (kh = 3) from two tables: kernel rows 0 and 1 at bytes
    /// 0 and 16 of the first, row 2 at byte 0 of the second (indices from 64).
    /// </summary>
    private static Vector512<byte> BandPermutation(int cin)
    {
        const int kh = 3;
        var index = stackalloc byte[64];
        for (int j = 0; j < 64; j++)
        {
            int c = j / (kh * cin), ky = j % (kh * cin) / cin, ci = j % cin;
            index[j] = (byte)(c >= 4 ? 0 : ky < 2 ? ky * 16 + c * cin + ci : 64 + c * cin + ci);
        }
        return Vector512.Load(index);
    }
}
