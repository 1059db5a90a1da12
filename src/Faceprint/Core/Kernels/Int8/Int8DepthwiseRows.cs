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
        var (first, end) = g.InteriorColumns();
        bool three = g.KernelH == 3 && g.KernelW == 3 && end > first;
        fixed (short* packed = w.Packed)
        fixed (short* packed3 = w.Packed3x3)
        {
            for (int row = rowStart; row < rowEnd; row++)
            {
                int n = row / g.OutH, oy = row - n * g.OutH;
                int y0 = oy * g.StrideH - g.PadTop;
                byte* image = input + (nint)n * g.InH * g.InW * c;
                nint outRow = (nint)row * g.OutW * c;
                bool rowsInside = y0 >= 0 && y0 + g.KernelH <= g.InH;
                for (int cb = 0; cb < c; cb += block)
                {
                    int valid = Math.Min(block, c - cb);
                    short* wp = packed + (nint)(cb / block) * pairs * block * 2;
                    if (rowsInside && three)
                    {
                        Edge(image, wp, w, e, g, y0, cb, valid, 0, first, outFloats, outCodes, outRow);
                        if (g.StrideW == 1)
                            Sliding3x3(image + (nint)y0 * g.InW * c + cb, packed3 + (nint)(cb / block) * 5 * block * 2, e, g, cb, valid, first, end,
                                outFloats, outCodes, outRow);
                        else
                            Interior3x3(image + (nint)y0 * g.InW * c + cb, wp, e, g, cb, valid, first, end, outFloats, outCodes, outRow);
                        Edge(image, wp, w, e, g, y0, cb, valid, end, g.OutW, outFloats, outCodes, outRow);
                    }
                    else
                    {
                        Edge(image, wp, w, e, g, y0, cb, valid, 0, g.OutW, outFloats, outCodes, outRow);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TV low, TV high, in Int8DepthwiseEpilogue e, int cb, int valid, float* outFloats, byte* outCodes, nint at)
    {
        if (outCodes != null) TL.StoreCodes(low, high, e, cb, outCodes + at, valid);
        else TL.StoreFloats(low, high, e, cb, outFloats + at, valid);
    }

    /// <summary>Output columns [from, to) of one block whose 3×3 windows lie inside the input: the weights stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interior3x3(byte* top, short* wp, in Int8DepthwiseEpilogue e, in ConvGeometry g, int cb, int valid, int from, int to,
        float* outFloats, byte* outCodes, nint outRow)
    {
        nint c = g.InC, rowStep = (nint)g.InW * g.InC, step = g.StrideW * c;
        int b = TL.Channels;
        TV w0l = TL.Load(wp), w0h = TL.Load(wp + b);
        TV w1l = TL.Load(wp + 2 * b), w1h = TL.Load(wp + 3 * b);
        TV w2l = TL.Load(wp + 4 * b), w2h = TL.Load(wp + 5 * b);
        TV w3l = TL.Load(wp + 6 * b), w3h = TL.Load(wp + 7 * b);
        TV w4l = TL.Load(wp + 8 * b), w4h = TL.Load(wp + 9 * b);
        TV zero = default;
        byte* p = top + (from * g.StrideW - g.PadLeft) * c;
        nint at = outRow + from * c + cb;
        for (int ox = from; ox < to; ox++, p += step, at += c)
        {
            byte* r1 = p + rowStep, r2 = r1 + rowStep;
            TV x0 = TL.Widen(p), x1 = TL.Widen(p + c), x2 = TL.Widen(p + 2 * c);
            TV x3 = TL.Widen(r1), x4 = TL.Widen(r1 + c), x5 = TL.Widen(r1 + 2 * c);
            TV x6 = TL.Widen(r2), x7 = TL.Widen(r2 + c), x8 = TL.Widen(r2 + 2 * c);
            // Two chains per half: the multiply-add latency is paid twice per pixel, not five times.
            TV la = TL.MaddLow(zero, x0, x1, w0l), ha = TL.MaddHigh(zero, x0, x1, w0h);
            TV lb = TL.MaddLow(zero, x2, x3, w1l), hb = TL.MaddHigh(zero, x2, x3, w1h);
            la = TL.MaddLow(la, x4, x5, w2l);
            ha = TL.MaddHigh(ha, x4, x5, w2h);
            lb = TL.MaddLow(lb, x6, x7, w3l);
            hb = TL.MaddHigh(hb, x6, x7, w3h);
            la = TL.MaddLow(la, x8, zero, w4l);
            ha = TL.MaddHigh(ha, x8, zero, w4h);
            Store(TL.Add(la, lb), TL.Add(ha, hb), e, cb, valid, outFloats, outCodes, at);
        }
    }

    /// <summary>
    /// Stride-1 interior columns [from, to) of one block: each input column is widened and interleaved once (rows 0 and
    /// 1 as one pair, row 2 with its right neighbour) and reused by the outputs it feeds, so a pixel costs three widening
    /// loads and four interleaves instead of nine and ten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sliding3x3(byte* top, short* wp, in Int8DepthwiseEpilogue e, in ConvGeometry g, int cb, int valid, int from, int to,
        float* outFloats, byte* outCodes, nint outRow)
    {
        nint c = g.InC, rowStep = (nint)g.InW * g.InC;
        int b = TL.Channels;
        TV v0l = TL.Load(wp), v0h = TL.Load(wp + b);
        TV v1l = TL.Load(wp + 2 * b), v1h = TL.Load(wp + 3 * b);
        TV v2l = TL.Load(wp + 4 * b), v2h = TL.Load(wp + 5 * b);
        TV h0l = TL.Load(wp + 6 * b), h0h = TL.Load(wp + 7 * b);
        TV h1l = TL.Load(wp + 8 * b), h1h = TL.Load(wp + 9 * b);
        TV zero = default;
        // p points at row 0 of the window's left column.
        byte* p = top + (from - g.PadLeft) * c;
        TV r0 = TL.Widen(p), r1 = TL.Widen(p + rowStep), left2 = TL.Widen(p + 2 * rowStep);
        TV aLow = TL.UnpackLow(r0, r1), aHigh = TL.UnpackHigh(r0, r1);
        p += c;
        r0 = TL.Widen(p);
        r1 = TL.Widen(p + rowStep);
        TV mid2 = TL.Widen(p + 2 * rowStep);
        TV bLow = TL.UnpackLow(r0, r1), bHigh = TL.UnpackHigh(r0, r1);
        TV hLow = TL.UnpackLow(left2, mid2), hHigh = TL.UnpackHigh(left2, mid2);
        p += c;
        nint at = outRow + from * c + cb;
        for (int ox = from; ox < to; ox++, p += c, at += c)
        {
            r0 = TL.Widen(p);
            r1 = TL.Widen(p + rowStep);
            TV right2 = TL.Widen(p + 2 * rowStep);
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
            Store(TL.Add(la, lb), TL.Add(ha, hb), e, cb, valid, outFloats, outCodes, at);
            aLow = bLow;
            aHigh = bHigh;
            bLow = cLow;
            bHigh = cHigh;
            hLow = nLow;
            hHigh = nHigh;
            mid2 = right2;
        }
    }

    /// <summary>Output columns [from, to) of one block, any kernel: taps outside the image read the input's zero-point code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Edge(byte* image, short* wp, Int8DepthwiseWeights w, in Int8DepthwiseEpilogue e, in ConvGeometry g, int y0, int cb, int valid,
        int from, int to, float* outFloats, byte* outCodes, nint outRow)
    {
        int c = g.InC, b = TL.Channels;
        TV zero = default;
        TV zeroPoint;
        // Each channel's own zero-point code, widened like an input pixel (a per-tensor input has one code in every lane).
        fixed (byte* pad = w.PadCodes) zeroPoint = TL.Widen(pad + cb);
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
