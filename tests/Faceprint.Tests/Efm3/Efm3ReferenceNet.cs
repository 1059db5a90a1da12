using Faceprint.Import.Efm3;

namespace Faceprint.Tests.Efm3;

/// <summary>
/// Independent plain-loop MobileFaceNet in train form for checking the engine on EFM3 weights: NCHW, double
/// accumulation, BatchNorm applied un-folded after every conv, topology walked from the header's stage table
/// (FaceX's: symmetric padding 1 for 3×3, GDConv unpadded, residual when stride 1 and widths match).
/// </summary>
internal static class Efm3ReferenceNet
{
    /// <summary>Embeddings (not normalised) for an NHWC batch of 112×112×3 inputs.</summary>
    public static float[][] Run(Efm3Model model, float[] nhwc, int batch)
    {
        const int side = 112;
        var results = new float[batch][];
        for (int n = 0; n < batch; n++)
        {
            var x = new Map(3, side, side);
            for (int y = 0; y < side; y++)
                for (int xx = 0; xx < side; xx++)
                    for (int c = 0; c < 3; c++)
                        x[c, y, xx] = nhwc[((n * side + y) * side + xx) * 3 + c];
            results[n] = Forward(model, x);
        }
        return results;
    }

    private static float[] Forward(Efm3Model model, Map x)
    {
        var convs = model.Convs;
        int k = 0;
        x = Apply(convs[k++], x, stride: 2, pad: 1);
        x = Apply(convs[k++], x, stride: 1, pad: 1);
        int channels = model.Header.StemChannels;
        for (int s = 0; s < model.Header.Stages.Count; s++)
        {
            var stage = model.Header.Stages[s];
            int outChannels = s == 0 ? model.Header.StemChannels : model.Header.BlockChannels;
            for (int b = 0; b < stage.Blocks; b++)
            {
                int stride = b == 0 ? stage.Stride : 1;
                var h = Apply(convs[k++], x, 1, 0);
                h = Apply(convs[k++], h, stride, 1);
                h = Apply(convs[k++], h, 1, 0);
                if (stride == 1 && channels == outChannels)
                    for (int i = 0; i < h.Data.Length; i++) h.Data[i] += x.Data[i];
                x = h;
                channels = outChannels;
            }
        }
        x = Apply(convs[k++], x, 1, 0);
        x = Apply(convs[k++], x, 1, 0);
        x = Apply(convs[k++], x, 1, 0);
        if (k != convs.Count || x.H != 1 || x.W != 1) throw new InvalidOperationException("reference walked the wrong topology");
        return x.Data;
    }

    /// <summary>conv (groups 1 or depthwise, told apart by the kernel's in/groups) → BN → optional PReLU.</summary>
    private static Map Apply(Efm3Conv conv, Map input, int stride, int pad)
    {
        var spec = conv.Spec;
        int kSize = spec.Kernel, cout = spec.OutChannels;
        bool depthwise = spec.InPerGroup == 1 && input.C == cout && input.C != 1;
        int outH = (input.H + 2 * pad - kSize) / stride + 1, outW = (input.W + 2 * pad - kSize) / stride + 1;
        var output = new Map(cout, outH, outW);
        for (int o = 0; o < cout; o++)
        {
            double scale = conv.Gamma[o] / Math.Sqrt(conv.RunningVar[o] + 1e-5);
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    double sum = 0;
                    int firstIn = depthwise ? o : 0, inCount = depthwise ? 1 : input.C;
                    for (int ci = 0; ci < inCount; ci++)
                        for (int ky = 0; ky < kSize; ky++)
                        {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= input.H) continue;
                            for (int kx = 0; kx < kSize; kx++)
                            {
                                int ix = ox * stride - pad + kx;
                                if (ix < 0 || ix >= input.W) continue;
                                sum += (double)conv.Weight[((o * spec.InPerGroup + ci) * kSize + ky) * kSize + kx] * input[firstIn + ci, iy, ix];
                            }
                        }
                    double v = (sum - conv.RunningMean[o]) * scale + conv.Beta[o];
                    if (conv.Slope is { } slope && v < 0) v *= slope[o];
                    output[o, oy, ox] = (float)v;
                }
        }
        return output;
    }

    private sealed class Map(int c, int h, int w)
    {
        public int C { get; } = c;
        public int H { get; } = h;
        public int W { get; } = w;
        public float[] Data { get; } = new float[c * h * w];

        public float this[int ci, int y, int x]
        {
            get => Data[(ci * H + y) * W + x];
            set => Data[(ci * H + y) * W + x] = value;
        }
    }
}
