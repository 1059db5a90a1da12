using System.Runtime.CompilerServices;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The walk of <see cref="StemConvKernel"/> for one instruction set: a pixel range splits into runs of one output row;
/// a run's columns whose windows lie inside the input horizontally go through register tiles of up to
/// <see cref="ISimd{TV}.GemmRows"/> pixels, the few edge columns one pixel at a time with their taps clipped; rows at the
/// top and bottom clip their kernel rows for the whole run.
/// </summary>
internal static unsafe class StemConvRows<TS, TV> where TS : struct, ISimd<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in StemConvCall call, float* input, in ConvGeometry g, int pixelStart, int pixelEnd)
    {
        int mr = TS.GemmRows, w = TS.Width, pw = 2 * w, n = call.N, panels = (n + pw - 1) / pw, cin = g.InC;
        var (first, end) = g.InteriorColumns();
        int perImage = g.OutH * g.OutW;
        for (int p = pixelStart; p < pixelEnd;)
        {
            int image = p / perImage, rest = p - image * perImage, oy = rest / g.OutW, ox0 = rest - oy * g.OutW;
            int ox1 = Math.Min(g.OutW, ox0 + (pixelEnd - p));
            int y0 = oy * g.StrideH - g.PadTop;
            int kyFrom = Math.Max(0, -y0), kyTo = Math.Min(g.KernelH, g.InH - y0);
            // Input row y0 (above the image where the window starts in the padding; only rows from kyFrom are read), column 0.
            float* origin = input + ((nint)image * g.InH + y0) * g.InW * cin;
            // Output element of the run's pixel 0 (the same offset into the residual and the codes).
            nint rowAt = (nint)(p - ox0) * n;
            int inFrom = Math.Clamp(first, ox0, ox1), inTo = Math.Clamp(end, inFrom, ox1);
            for (int ox = ox0; ox < inFrom; ox++)
                Edge(call, g, origin, rowAt, ox, kyFrom, kyTo, panels);
            for (int ox = inFrom, rows; ox < inTo; ox += rows)
            {
                rows = Gemm.TileRows(inTo - ox, mr);
                float* window = origin + (nint)(ox * g.StrideW - g.PadLeft) * cin;
                for (int panel = 0; panel < panels; panel++)
                    Tile(rows, n - panel * pw > w, call, window, rowAt + (nint)ox * n, panel, kyFrom, kyTo, 0, g.KernelW);
            }
            for (int ox = inTo; ox < ox1; ox++)
                Edge(call, g, origin, rowAt, ox, kyFrom, kyTo, panels);
            // GELU runs over the run just written (still in cache), as the GEMM does it after its tiles.
            if (call.Activation == ActivationKind.Gelu)
                GeluKernel.Rows<TS, TV>(call.C + rowAt + (nint)ox0 * n, call.C + rowAt + (nint)ox0 * n, (ox1 - ox0) * n);
            p += ox1 - ox0;
        }
    }

    /// <summary>One output pixel whose window crosses the left or right padding: its kernel columns clipped to the input.</summary>
    private static void Edge(in StemConvCall call, in ConvGeometry g, float* origin, nint rowAt, int ox, int kyFrom, int kyTo, int panels)
    {
        int x0 = ox * g.StrideW - g.PadLeft, n = call.N, w = TS.Width;
        int kxFrom = Math.Max(0, -x0), kxTo = Math.Min(g.KernelW, g.InW - x0);
        for (int panel = 0; panel < panels; panel++)
            Tile(1, n - panel * 2 * w > w, call, origin + (nint)x0 * g.InC, rowAt + (nint)ox * n, panel, kyFrom, kyTo, kxFrom, kxTo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int rows, bool two, in StemConvCall c, float* window, nint at, int panel, int kyFrom, int kyTo, int kxFrom, int kxTo)
    {
        if (two) Tile<T2>(rows, c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo);
        else Tile<T1>(rows, c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo);
    }

    private static void Tile<TC>(int rows, in StemConvCall c, float* window, nint at, int panel,
        int kyFrom, int kyTo, int kxFrom, int kxTo) where TC : struct, ITileCount
    {
        switch (rows)
        {
            case 12: StemConvTile<TS, TV, T12, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 11: StemConvTile<TS, TV, T11, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 10: StemConvTile<TS, TV, T10, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 9: StemConvTile<TS, TV, T9, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 8: StemConvTile<TS, TV, T8, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 7: StemConvTile<TS, TV, T7, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 6: StemConvTile<TS, TV, T6, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 5: StemConvTile<TS, TV, T5, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 4: StemConvTile<TS, TV, T4, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 3: StemConvTile<TS, TV, T3, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            case 2: StemConvTile<TS, TV, T2, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
            default: StemConvTile<TS, TV, T1, TC>.Run(c, window, at, panel, kyFrom, kyTo, kxFrom, kxTo); break;
        }
    }
}
