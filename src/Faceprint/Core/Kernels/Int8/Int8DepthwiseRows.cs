using System.Runtime.CompilerServices;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>The int8 depthwise kernel body for one register width (see <see cref="Int8DepthwiseKernel"/>).</summary>
internal static unsafe class Int8DepthwiseRows<TL, TV> where TL : struct, IInt8DepthwiseLanes<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(byte* input, Int8DepthwiseWeights w, in ConvGeometry g, int rowStart, int rowEnd, float* outFloats, byte* outCodes,
        in Int8DepthwiseEpilogue e)
    {
        int c = g.InC, block = TL.Channels, pairs = w.Pairs;
        // Stride-1 3×3 rows run the sliding window from border to border; strided ones only over the columns whose windows
        // lie inside the image, the border columns taking the per-tap edge path. At stride 2 a window's left column is the
        // previous window's right one, already loaded: only its two right columns need to be inside (the left may be padding).
        var (first, end) = g.InteriorColumns();
        bool sliding = g.KernelH == 3 && g.KernelW == 3 && g.StrideW == 1;
        if (g.StrideW == 2) first = Math.Min(g.PadLeft / 2, end);
        bool strided = g.KernelH == 3 && g.KernelW == 3 && g.StrideW > 1 && end > first;
        // Taps in a padding row (or, sliding, column) read the block's zero-point codes, one per channel (per-channel
        // inputs have their own); a padding row's pointer never leaves that block (column step 0).
        fixed (byte* padCodes = w.PadCodes)
        fixed (short* packed = w.Packed)
        fixed (short* packed3 = w.Packed3x3)
        {
            for (int row = rowStart; row < rowEnd; row++)
            {
                int n = row / g.OutH, oy = row - n * g.OutH;
                int y0 = oy * g.StrideH - g.PadTop;
                byte* image = input + (nint)n * g.InH * g.InW * c;
                nint outRow = (nint)row * g.OutW * c;
                // The window's left column at the first output the 3×3 loop computes (left of the image when sliding over
                // padding: then only read through a check).
                nint left = (nint)((sliding ? 0 : first) * g.StrideW - g.PadLeft) * c, step = (nint)g.StrideW * c;
                bool in0 = (uint)y0 < (uint)g.InH, in1 = (uint)(y0 + 1) < (uint)g.InH, in2 = (uint)(y0 + 2) < (uint)g.InH;
                for (int cb = 0; cb < c; cb += block)
                {
                    int valid = Math.Min(block, c - cb);
                    short* wp = packed + (nint)(cb / block) * pairs * block * 2;
                    byte* padRow = padCodes + cb;
                    if (sliding || strided)
                    {
                        byte* p0 = in0 ? image + (nint)y0 * g.InW * c + left + cb : padRow;
                        byte* p1 = in1 ? image + (nint)(y0 + 1) * g.InW * c + left + cb : padRow;
                        byte* p2 = in2 ? image + (nint)(y0 + 2) * g.InW * c + left + cb : padRow;
                        var rows = new WindowRows(p0, p1, p2, in0 ? step : 0, in1 ? step : 0, in2 ? step : 0, padRow);
                        if (sliding)
                        {
                            Sliding3x3(rows, packed3 + (nint)(cb / block) * 5 * block * 2, e, g, cb, valid, outFloats, outCodes, outRow);
                            continue;
                        }
                        Edge(image, wp, padRow, e, g, y0, cb, valid, 0, first, outFloats, outCodes, outRow);
                        if (g.StrideW == 2) Strided3x3(rows, packed3 + (nint)(cb / block) * 5 * block * 2, e, g, cb, valid, first, end, outFloats, outCodes, outRow);
                        else Interior3x3(rows, wp, e, g, cb, valid, first, end, outFloats, outCodes, outRow);
                        Edge(image, wp, padRow, e, g, y0, cb, valid, end, g.OutW, outFloats, outCodes, outRow);
                    }
                    else
                    {
                        Edge(image, wp, padRow, e, g, y0, cb, valid, 0, g.OutW, outFloats, outCodes, outRow);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The three input rows of a 3×3 window at the first computed output's left column, each with its column step (0 for a padding row),
    /// and the block of zero-point codes that padding taps read.
    /// </summary>
    private readonly struct WindowRows(byte* top, byte* middle, byte* bottom, nint topStep, nint middleStep, nint bottomStep, byte* pad)
    {
        public byte* Pad { get; } = pad;
        public byte* Top { get; } = top;
        public byte* Middle { get; } = middle;
        public byte* Bottom { get; } = bottom;
        public nint TopStep { get; } = topStep;
        public nint MiddleStep { get; } = middleStep;
        public nint BottomStep { get; } = bottomStep;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TV low, TV high, in Int8DepthwiseEpilogue e, int cb, int valid, float* outFloats, byte* outCodes, nint at)
    {
        if (outCodes != null) TL.StoreCodes(low, high, e, cb, outCodes + at, valid);
        else TL.StoreFloats(low, high, e, cb, outFloats + at, valid);
    }

    /// <summary>Output columns [from, to) of one block whose 3×3 windows lie inside the input's columns: the weights stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interior3x3(in WindowRows rows, short* wp, in Int8DepthwiseEpilogue e, in ConvGeometry g, int cb, int valid, int from, int to,
        float* outFloats, byte* outCodes, nint outRow)
    {
        nint c = g.InC;
        int b = TL.Channels;
        TV w0l = TL.Load(wp), w0h = TL.Load(wp + b);
        TV w1l = TL.Load(wp + 2 * b), w1h = TL.Load(wp + 3 * b);
        TV w2l = TL.Load(wp + 4 * b), w2h = TL.Load(wp + 5 * b);
        TV w3l = TL.Load(wp + 6 * b), w3h = TL.Load(wp + 7 * b);
        TV w4l = TL.Load(wp + 8 * b), w4h = TL.Load(wp + 9 * b);
        TV zero = default;
        byte* p0 = rows.Top, p1 = rows.Middle, p2 = rows.Bottom;
        nint s0 = rows.TopStep, s1 = rows.MiddleStep, s2 = rows.BottomStep;
        // A padding row's pointer stays on its block of zero-point codes: its column offsets must be 0 too.
        nint c0 = s0 == 0 ? 0 : c, c1 = s1 == 0 ? 0 : c, c2 = s2 == 0 ? 0 : c;
        nint at = outRow + from * c + cb;
        var terms = e.At(cb);
        for (int ox = from; ox < to; ox++, p0 += s0, p1 += s1, p2 += s2, at += c)
        {
            TV x0 = TL.Widen(p0), x1 = TL.Widen(p0 + c0), x2 = TL.Widen(p0 + 2 * c0);
            TV x3 = TL.Widen(p1), x4 = TL.Widen(p1 + c1), x5 = TL.Widen(p1 + 2 * c1);
            TV x6 = TL.Widen(p2), x7 = TL.Widen(p2 + c2), x8 = TL.Widen(p2 + 2 * c2);
            // Two chains per half: the multiply-add latency is paid twice per pixel, not five times.
            TV la = TL.MaddLow(zero, x0, x1, w0l), ha = TL.MaddHigh(zero, x0, x1, w0h);
            TV lb = TL.MaddLow(zero, x2, x3, w1l), hb = TL.MaddHigh(zero, x2, x3, w1h);
            la = TL.MaddLow(la, x4, x5, w2l);
            ha = TL.MaddHigh(ha, x4, x5, w2h);
            lb = TL.MaddLow(lb, x6, x7, w3l);
            hb = TL.MaddHigh(hb, x6, x7, w3h);
            la = TL.MaddLow(la, x8, zero, w4l);
            ha = TL.MaddHigh(ha, x8, zero, w4h);
            Store(TL.Add(la, lb), TL.Add(ha, hb), terms, 0, valid, outFloats, outCodes, at);
        }
    }

    /// <summary>
    /// One stride-1 output row of one block: each input column is widened and interleaved once (rows 0 and
    /// 1 as one pair, row 2 with its right neighbour) and reused by the outputs it feeds, so a pixel costs three widening
    /// loads and four interleaves instead of nine and ten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sliding3x3(in WindowRows rows, short* wp, in Int8DepthwiseEpilogue e, in ConvGeometry g, int cb, int valid,
        float* outFloats, byte* outCodes, nint outRow)
    {
        nint c = g.InC;
        int b = TL.Channels;
        TV v0l = TL.Load(wp), v0h = TL.Load(wp + b);
        TV v1l = TL.Load(wp + 2 * b), v1h = TL.Load(wp + 3 * b);
        TV v2l = TL.Load(wp + 4 * b), v2h = TL.Load(wp + 5 * b);
        TV h0l = TL.Load(wp + 6 * b), h0h = TL.Load(wp + 7 * b);
        TV h1l = TL.Load(wp + 8 * b), h1h = TL.Load(wp + 9 * b);
        TV zero = default;
        // p0..p2 point at the window's left column in rows 0..2 (a padding row's pointer does not move); the two columns
        // before output 0's right one read the zero-point block where they lie in the padding.
        byte* p0 = rows.Top, p1 = rows.Middle, p2 = rows.Bottom, pad = rows.Pad;
        nint s0 = rows.TopStep, s1 = rows.MiddleStep, s2 = rows.BottomStep;
        uint width = (uint)g.InW;
        int x = -g.PadLeft;
        bool inside = (uint)x < width;
        TV r0 = TL.Widen(inside ? p0 : pad), r1 = TL.Widen(inside ? p1 : pad), left2 = TL.Widen(inside ? p2 : pad);
        TV aLow = TL.UnpackLow(r0, r1), aHigh = TL.UnpackHigh(r0, r1);
        p0 += s0;
        p1 += s1;
        p2 += s2;
        inside = (uint)(x + 1) < width;
        r0 = TL.Widen(inside ? p0 : pad);
        r1 = TL.Widen(inside ? p1 : pad);
        TV mid2 = TL.Widen(inside ? p2 : pad);
        TV bLow = TL.UnpackLow(r0, r1), bHigh = TL.UnpackHigh(r0, r1);
        TV hLow = TL.UnpackLow(left2, mid2), hHigh = TL.UnpackHigh(left2, mid2);
        // The new (right) column of output ox is x = ox − PadLeft + 2: outputs [0, inFrom) and [inTo, OutW) find it in the
        // padding and read the zero-point block with step 0, the ones between read the image; the loop body has no checks.
        int inFrom = Math.Clamp(g.PadLeft - 2, 0, g.OutW), inTo = Math.Clamp(g.InW + g.PadLeft - 2, inFrom, g.OutW);
        nint at = outRow + cb;
        var terms = e.At(cb);
        int ox = 0;
        for (int segment = 0; segment < 3; segment++)
        {
            int stop = segment == 0 ? inFrom : segment == 1 ? inTo : g.OutW;
            bool real = segment == 1;
            p0 = real ? rows.Top + (ox + 2) * s0 : pad;
            p1 = real ? rows.Middle + (ox + 2) * s1 : pad;
            p2 = real ? rows.Bottom + (ox + 2) * s2 : pad;
            nint t0 = real ? s0 : 0, t1 = real ? s1 : 0, t2 = real ? s2 : 0;
            for (; ox < stop; ox++, p0 += t0, p1 += t1, p2 += t2, at += c)
            {
                r0 = TL.Widen(p0);
                r1 = TL.Widen(p1);
                TV right2 = TL.Widen(p2);
                TV cLow = TL.UnpackLow(r0, r1), cHigh = TL.UnpackHigh(r0, r1);
                TV nLow = TL.UnpackLow(mid2, right2), nHigh = TL.UnpackHigh(mid2, right2);
                TV la = TL.Madd(zero, aLow, v0l), ha = TL.Madd(zero, aHigh, v0h);
                TV lb = TL.Madd(zero, bLow, v1l), hb = TL.Madd(zero, bHigh, v1h);
                la = TL.Madd(la, cLow, v2l);
                ha = TL.Madd(ha, cHigh, v2h);
                lb = TL.Madd(lb, hLow, h0l);
                hb = TL.Madd(hb, hHigh, h0h);
                la = TL.Madd(la, nLow, h1l);
                ha = TL.Madd(ha, nHigh, h1h);
                Store(TL.Add(la, lb), TL.Add(ha, hb), terms, 0, valid, outFloats, outCodes, at);
                aLow = bLow;
                aHigh = bHigh;
                bLow = cLow;
                bHigh = cHigh;
                hLow = nLow;
                hHigh = nHigh;
                mid2 = right2;
            }
        }
    }

    /// <summary>
    /// Stride-2 output columns [from, to) of one block, whose windows' middle and right columns lie inside the image (the
    /// first window's left column may be padding): a window's right column (its rows 0 and 1 interleaved, and its row 2) is
    /// the next window's left one, so a pixel costs six widening loads and eight interleaves instead of nine and ten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strided3x3(in WindowRows rows, short* wp, in Int8DepthwiseEpilogue e, in ConvGeometry g, int cb, int valid, int from, int to,
        float* outFloats, byte* outCodes, nint outRow)
    {
        nint c = g.InC;
        int b = TL.Channels;
        TV v0l = TL.Load(wp), v0h = TL.Load(wp + b);
        TV v1l = TL.Load(wp + 2 * b), v1h = TL.Load(wp + 3 * b);
        TV v2l = TL.Load(wp + 4 * b), v2h = TL.Load(wp + 5 * b);
        TV h0l = TL.Load(wp + 6 * b), h0h = TL.Load(wp + 7 * b);
        TV h1l = TL.Load(wp + 8 * b), h1h = TL.Load(wp + 9 * b);
        TV zero = default;
        byte* p0 = rows.Top, p1 = rows.Middle, p2 = rows.Bottom, pad = rows.Pad;
        nint s0 = rows.TopStep, s1 = rows.MiddleStep, s2 = rows.BottomStep;
        // A padding row's pointer stays on its block of zero-point codes: its column offsets must be 0 too.
        nint c0 = s0 == 0 ? 0 : c, c1 = s1 == 0 ? 0 : c, c2 = s2 == 0 ? 0 : c;
        bool inside = from * 2 - g.PadLeft >= 0;
        TV r0 = TL.Widen(inside ? p0 : pad), r1 = TL.Widen(inside ? p1 : pad), left2 = TL.Widen(inside ? p2 : pad);
        TV aLow = TL.UnpackLow(r0, r1), aHigh = TL.UnpackHigh(r0, r1);
        nint at = outRow + from * c + cb;
        var terms = e.At(cb);
        for (int ox = from; ox < to; ox++, p0 += s0, p1 += s1, p2 += s2, at += c)
        {
            r0 = TL.Widen(p0 + c0);
            r1 = TL.Widen(p1 + c1);
            TV mid2 = TL.Widen(p2 + c2);
            TV bLow = TL.UnpackLow(r0, r1), bHigh = TL.UnpackHigh(r0, r1);
            r0 = TL.Widen(p0 + 2 * c0);
            r1 = TL.Widen(p1 + 2 * c1);
            TV right2 = TL.Widen(p2 + 2 * c2);
            TV cLow = TL.UnpackLow(r0, r1), cHigh = TL.UnpackHigh(r0, r1);
            TV hLow = TL.UnpackLow(left2, mid2), hHigh = TL.UnpackHigh(left2, mid2);
            TV nLow = TL.UnpackLow(mid2, right2), nHigh = TL.UnpackHigh(mid2, right2);
            TV la = TL.Madd(zero, aLow, v0l), ha = TL.Madd(zero, aHigh, v0h);
            TV lb = TL.Madd(zero, bLow, v1l), hb = TL.Madd(zero, bHigh, v1h);
            la = TL.Madd(la, cLow, v2l);
            ha = TL.Madd(ha, cHigh, v2h);
            lb = TL.Madd(lb, hLow, h0l);
            hb = TL.Madd(hb, hHigh, h0h);
            la = TL.Madd(la, nLow, h1l);
            ha = TL.Madd(ha, nHigh, h1h);
            Store(TL.Add(la, lb), TL.Add(ha, hb), terms, 0, valid, outFloats, outCodes, at);
            aLow = cLow;
            aHigh = cHigh;
            left2 = right2;
        }
    }

    /// <summary>
    /// Output columns [from, to) of one block, any kernel: taps outside the image read the block's zero-point codes
    /// (<paramref name="pad"/>, one per channel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Edge(byte* image, short* wp, byte* pad, in Int8DepthwiseEpilogue e, in ConvGeometry g, int y0, int cb, int valid,
        int from, int to, float* outFloats, byte* outCodes, nint outRow)
    {
        int c = g.InC, b = TL.Channels;
        TV zero = default;
        // Each channel's own zero-point code, widened like an input pixel (a per-tensor input has one code in every lane).
        TV zeroPoint = TL.Widen(pad);
        for (int ox = from; ox < to; ox++)
        {
            int x0 = ox * g.StrideW - g.PadLeft;
            TV low = default, high = default, pending = default;
            bool has = false;
            short* pair = wp;
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                int y = y0 + ky;
                bool rowInside = (uint)y < (uint)g.InH;
                byte* src = image + ((nint)y * g.InW + x0) * c + cb;
                for (int kx = 0; kx < g.KernelW; kx++)
                {
                    TV x = rowInside && (uint)(x0 + kx) < (uint)g.InW ? TL.Widen(src + kx * c) : zeroPoint;
                    if (!has)
                    {
                        pending = x;
                        has = true;
                        continue;
                    }
                    low = TL.MaddLow(low, pending, x, TL.Load(pair));
                    high = TL.MaddHigh(high, pending, x, TL.Load(pair + b));
                    pair += 2 * b;
                    has = false;
                }
            }
            if (has)
            {
                low = TL.MaddLow(low, pending, zero, TL.Load(pair));
                high = TL.MaddHigh(high, pending, zero, TL.Load(pair + b));
            }
            Store(low, high, e, cb, valid, outFloats, outCodes, outRow + (nint)ox * c + cb);
        }
    }
}
