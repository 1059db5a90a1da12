using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Gathers the receptive fields of consecutive NHWC output pixels into rows of (ky, kx, ci) — zeros where the window
/// hangs over the padding — so a dense k×k conv becomes one <see cref="Gemm"/> over a tile of pixels. The channels of
/// one kernel row of taps are contiguous in NHWC, so an in-bounds row is copied as one run of kw·cin floats (copied
/// inline: runs are short, 9 floats for a 3-channel stem, and a memmove call per run would cost more than the copy).
/// </summary>
public static unsafe class Im2Col
{
    /// <summary>Row length: kh·kw·cin.</summary>
    public static int RowLength(in ConvGeometry g) => g.KernelH * g.KernelW * g.InC;

    /// <summary>Fills <paramref name="rows"/> with the fields of output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) (flat over n, y, x).</summary>
    public static void Fill(ReadOnlySpan<float> input, in ConvGeometry g, int pixelStart, int pixelEnd, Span<float> rows)
    {
        int count = pixelEnd - pixelStart;
        if (count <= 0) return;
        int images = (pixelEnd - 1) / (g.OutH * g.OutW) + 1;
        if (input.Length < (long)images * g.InH * g.InW * g.InC || rows.Length < (long)count * RowLength(g))
            throw new ArgumentException("buffers too short for the requested pixels");
        fixed (float* src = input)
        fixed (float* dst = rows)
            Fill(src, g, pixelStart, pixelEnd, dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill(float* input, in ConvGeometry g, int pixelStart, int pixelEnd, float* rows)
    {
        int k = RowLength(g), cin = g.InC, run = g.KernelW * cin;
        int perImage = g.OutH * g.OutW;
        int n = pixelStart / perImage, rest = pixelStart - n * perImage;
        int oy = rest / g.OutW, ox = rest - oy * g.OutW;
        float* row = rows;
        for (int pixel = pixelStart; pixel < pixelEnd; pixel++, row += k)
        {
            int x0 = ox * g.StrideW - g.PadLeft;
            bool columnsInside = x0 >= 0 && x0 + g.KernelW <= g.InW;
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                float* dst = row + ky * run;
                int iy = oy * g.StrideH - g.PadTop + ky;
                if ((uint)iy >= (uint)g.InH)
                {
                    new Span<float>(dst, run).Clear();
                    continue;
                }
                float* line = input + ((nint)(n * g.InH + iy) * g.InW) * cin;
                if (columnsInside)
                {
                    Copy(line + (nint)x0 * cin, dst, run);
                    continue;
                }
                for (int kx = 0; kx < g.KernelW; kx++)
                {
                    int ix = x0 + kx;
                    if ((uint)ix >= (uint)g.InW) new Span<float>(dst + kx * cin, cin).Clear();
                    else Copy(line + (nint)ix * cin, dst + kx * cin, cin);
                }
            }
            if (++ox == g.OutW)
            {
                ox = 0;
                if (++oy == g.OutH)
                {
                    oy = 0;
                    n++;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }
}
