using System.Runtime.CompilerServices;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Gathers the receptive fields of consecutive NHWC output pixels into rows of (ky, kx, ci) — zeros where the window
/// hangs over the padding — so a dense k×k conv becomes one <see cref="Gemm"/> over a tile of pixels. The channels of
/// one kernel row of taps are contiguous in NHWC, so an in-bounds row is copied as one run of kw·cin floats.
/// </summary>
public static class Im2Col
{
    /// <summary>Row length: kh·kw·cin.</summary>
    public static int RowLength(in ConvGeometry g) => g.KernelH * g.KernelW * g.InC;

    /// <summary>Fills <paramref name="rows"/> with the fields of output pixels [<paramref name="pixelStart"/>, <paramref name="pixelEnd"/>) (flat over n, y, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ReadOnlySpan<float> input, in ConvGeometry g, int pixelStart, int pixelEnd, Span<float> rows)
    {
        int k = RowLength(g), cin = g.InC, run = g.KernelW * cin;
        int perImage = g.OutH * g.OutW;
        for (int pixel = pixelStart; pixel < pixelEnd; pixel++)
        {
            int n = pixel / perImage, rest = pixel - n * perImage;
            int oy = rest / g.OutW, ox = rest - oy * g.OutW;
            var row = rows.Slice((pixel - pixelStart) * k, k);
            int x0 = ox * g.StrideW - g.PadLeft;
            bool columnsInside = x0 >= 0 && x0 + g.KernelW <= g.InW;
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                var dst = row.Slice(ky * run, run);
                int iy = oy * g.StrideH - g.PadTop + ky;
                if ((uint)iy >= (uint)g.InH)
                {
                    dst.Clear();
                    continue;
                }
                int rowBase = (n * g.InH + iy) * g.InW;
                if (columnsInside)
                {
                    input.Slice((rowBase + x0) * cin, run).CopyTo(dst);
                    continue;
                }
                for (int kx = 0; kx < g.KernelW; kx++)
                {
                    int ix = x0 + kx;
                    var tap = dst.Slice(kx * cin, cin);
                    if ((uint)ix >= (uint)g.InW) tap.Clear();
                    else input.Slice((rowBase + ix) * cin, cin).CopyTo(tap);
                }
            }
        }
    }
}
