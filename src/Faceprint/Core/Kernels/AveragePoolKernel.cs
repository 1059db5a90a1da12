namespace Faceprint.Core.Kernels;

/// <summary>
/// NHWC average pooling over a window; padded positions are left out of both the sum and the count, as in
/// TensorFlow's SAME average pool (a corner window of a 3×3 pool averages 4 values, not 9).
/// </summary>
public static class AveragePoolKernel
{
    /// <summary>Computes output rows [rowStart, rowEnd) where a row is (image, output y).</summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, in ConvGeometry g, int rowStart, int rowEnd)
    {
        if (g.InC != g.OutC) throw new ArgumentException($"pooling keeps channels: {g}");
        int c = g.OutC;
        for (int row = rowStart; row < rowEnd; row++)
        {
            int n = row / g.OutH, oy = row - n * g.OutH;
            int y0 = oy * g.StrideH - g.PadTop;
            int kyFrom = Math.Max(0, -y0), kyTo = Math.Min(g.KernelH, g.InH - y0);
            int image = n * g.InH * g.InW * c;
            for (int ox = 0; ox < g.OutW; ox++)
            {
                int x0 = ox * g.StrideW - g.PadLeft;
                int kxFrom = Math.Max(0, -x0), kxTo = Math.Min(g.KernelW, g.InW - x0);
                var dst = output.Slice((row * g.OutW + ox) * c, c);
                dst.Clear();
                for (int ky = kyFrom; ky < kyTo; ky++)
                    for (int kx = kxFrom; kx < kxTo; kx++)
                    {
                        var src = input.Slice(image + ((y0 + ky) * g.InW + x0 + kx) * c, c);
                        for (int ch = 0; ch < c; ch++) dst[ch] += src[ch];
                    }
                float inv = 1f / Math.Max(1, (kyTo - kyFrom) * (kxTo - kxFrom));
                for (int ch = 0; ch < c; ch++) dst[ch] *= inv;
            }
        }
    }
}
