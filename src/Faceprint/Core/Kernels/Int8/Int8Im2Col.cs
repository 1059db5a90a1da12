using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// The 8-bit form of <see cref="Im2Col"/>: gathers receptive fields of output pixels from rows of an already quantized
/// NHWC image into rows of (ky, kx, ci) codes that <see cref="Int8Gemm"/>'s tiles read as A. The input is quantized once
/// per layer call rather than once per tap (a 3×3 kernel reads each value nine times), and copying codes moves a quarter
/// (VNNI) or half (AVX2) of the bytes a float gather does. Taps over the padding get the zero point, the exact code of
/// 0.0; each row is padded from K to the packed K with code 0 (the packed weights are 0 there).
/// </summary>
internal static unsafe class Int8Im2Col
{
    /// <summary>
    /// Fills <paramref name="dst"/> (rows of <paramref name="kp"/> elements of <paramref name="elementBytes"/> bytes) with the
    /// fields of output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) of one image (numbered within it).
    /// <paramref name="region"/> holds that image's input rows from <paramref name="firstRow"/> on as codes, every row the
    /// pixels' in-bounds taps read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(byte* region, int firstRow, in ConvGeometry g, int pixelStart, int pixelEnd, int kp, int elementBytes,
        int zeroPoint, byte* dst)
    {
        int cin = g.InC, k = g.KernelH * g.KernelW * cin;
        int run = g.KernelW * cin * elementBytes, tap = cin * elementBytes;
        nint rowBytes = (nint)g.InW * cin * elementBytes, stride = (nint)kp * elementBytes;
        int oy = pixelStart / g.OutW, ox = pixelStart - oy * g.OutW;
        for (int pixel = pixelStart; pixel < pixelEnd; pixel++, dst += stride)
        {
            int x0 = ox * g.StrideW - g.PadLeft;
            bool columnsInside = x0 >= 0 && x0 + g.KernelW <= g.InW;
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                byte* to = dst + ky * run;
                int iy = oy * g.StrideH - g.PadTop + ky;
                if ((uint)iy >= (uint)g.InH)
                {
                    Fill(to, g.KernelW * cin, elementBytes, zeroPoint);
                    continue;
                }
                byte* line = region + (iy - firstRow) * rowBytes;
                if (columnsInside)
                {
                    Copy(line + (nint)x0 * tap, to, run);
                    continue;
                }
                for (int kx = 0; kx < g.KernelW; kx++)
                {
                    int ix = x0 + kx;
                    if ((uint)ix >= (uint)g.InW) Fill(to + kx * tap, cin, elementBytes, zeroPoint);
                    else Copy(line + (nint)ix * tap, to + kx * tap, tap);
                }
            }
            // At most 3 codes of K padding: plain stores beat a Clear call per pixel.
            for (int i = k * elementBytes; i < kp * elementBytes; i++) dst[i] = 0;
            if (++ox == g.OutW)
            {
                ox = 0;
                oy++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fill(byte* dst, int count, int elementBytes, int zeroPoint)
    {
        if (elementBytes == 2) new Span<ushort>(dst, count).Fill((ushort)zeroPoint);
        else new Span<byte>(dst, count).Fill((byte)zeroPoint);
    }

    // Runs are short (9 bytes for a 3-channel stem's row of taps, 48 for 16 channels): inline vector copies beat a memmove call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(byte* src, byte* dst, int bytes)
    {
        int i = 0;
        for (; i + 16 <= bytes; i += 16) Vector128.Store(Vector128.Load(src + i), dst + i);
        if (i + 8 <= bytes)
        {
            *(long*)(dst + i) = *(long*)(src + i);
            i += 8;
        }
        if (i + 4 <= bytes)
        {
            *(int*)(dst + i) = *(int*)(src + i);
            i += 4;
        }
        for (; i < bytes; i++) dst[i] = src[i];
    }
}
