namespace Faceprint.Core.Kernels;

/// <summary>Bilinear resizing of NHWC maps (the upsampling of a feature pyramid), one output row at a time.</summary>
public static class ResizeBilinearKernel
{
    /// <summary>
    /// Writes output rows [rowStart, rowEnd), a row being (image, output y), of an
    /// <paramref name="outH"/>×<paramref name="outW"/> resize of the <paramref name="inH"/>×<paramref name="inW"/>×<paramref name="c"/> input.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, int inH, int inW, int c, Span<float> output, int outH, int outW,
        ResizeMapping mapping, int rowStart, int rowEnd)
    {
        for (int row = rowStart; row < rowEnd; row++)
        {
            int image = row / outH, oy = row % outH;
            float sy = mapping.Source(oy, inH, outH);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, inH - 1);
            float fy = sy - y0;
            var top = input.Slice(((image * inH) + y0) * inW * c, inW * c);
            var bottom = input.Slice(((image * inH) + y1) * inW * c, inW * c);
            var outRow = output.Slice(row * outW * c, outW * c);
            for (int ox = 0; ox < outW; ox++)
            {
                float sx = mapping.Source(ox, inW, outW);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, inW - 1);
                float fx = sx - x0;
                float w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
                int a = x0 * c, b = x1 * c, o = ox * c;
                for (int ch = 0; ch < c; ch++)
                    outRow[o + ch] = w00 * top[a + ch] + w01 * top[b + ch] + w10 * bottom[a + ch] + w11 * bottom[b + ch];
            }
        }
    }
}
