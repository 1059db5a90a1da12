using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Tests.Core.Int8;

/// <summary>The int8 dense conv's documented arithmetic over the window, written out plainly, for the kernels' tests.</summary>
internal static class Int8ConvReference
{
    /// <summary>
    /// Each input's code (<paramref name="code"/>; the zero point where the window leaves the image, the code of 0.0),
    /// exact integer sums with the [cout, cin, kh, kw] <paramref name="codes"/>, then the float epilogue: scale and
    /// offset, activation, residual.
    /// </summary>
    public static float[] Window(float[] x, ConvGeometry g, int n, sbyte[] codes, float[] weightScales, float[] bias, Activation act,
        QuantParams q, float[]? residual, Func<float, int> code)
    {
        int cin = g.InC, cout = g.OutC;
        var y = new float[n * g.OutH * g.OutW * cout];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                    for (int o = 0; o < cout; o++)
                    {
                        int acc = 0, sum = 0;
                        for (int ci = 0; ci < cin; ci++)
                            for (int ky = 0; ky < g.KernelH; ky++)
                                for (int kx = 0; kx < g.KernelW; kx++)
                                {
                                    int iy = oy * g.StrideH - g.PadTop + ky, ix = ox * g.StrideW - g.PadLeft + kx;
                                    bool inside = iy >= 0 && iy < g.InH && ix >= 0 && ix < g.InW;
                                    int xc = inside ? code(x[((b * g.InH + iy) * g.InW + ix) * cin + ci]) : q.ZeroPoint;
                                    int c = codes[((o * cin + ci) * g.KernelH + ky) * g.KernelW + kx];
                                    acc += xc * c;
                                    sum += c;
                                }
                        float scale = q.Scale * weightScales[o];
                        float offset = bias[o] - q.ZeroPoint * (long)sum * scale;
                        float v = MathF.FusedMultiplyAdd(acc, scale, offset);
                        if (act.Kind == ActivationKind.Relu) v = Math.Max(v, 0f);
                        if (act.Kind == ActivationKind.PRelu && v < 0) v *= act.Slopes![o];
                        int at = ((b * g.OutH + oy) * g.OutW + ox) * cout + o;
                        if (residual is not null) v += residual[at];
                        y[at] = v;
                    }
        return y;
    }
}
