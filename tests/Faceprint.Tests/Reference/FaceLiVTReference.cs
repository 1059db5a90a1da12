using Faceprint.Core.Weights;
using Faceprint.Models.FaceLiVT;
using static Faceprint.Tests.Reference.TorchReference;

namespace Faceprint.Tests.Reference;

/// <summary>
/// FaceLiVT's train-form forward pass for one image, module by module as the reference PyTorch code states it
/// (NCHW, double, no reparameterization, torch.chunk/cat/reshape semantics spelled out with flat indices).
/// </summary>
internal static class FaceLiVTReference
{
    private const double Eps = 1e-5;

    public static double[] Forward(FaceLiVTConfig c, WeightSet w, Chw image)
    {
        var x = image;
        int stem = (int)Math.Ceiling(Math.Sqrt(c.PatchSize));
        for (int i = 0; i < stem; i++)
        {
            x = RepConv(x, w, $"patch_embedds.0.stem.{i}.0", c.Dims[0] >> (stem - 1 - i), 3, 2, 1);
            if (i < stem - 1) x = Gelu(x);
        }
        for (int s = 0; s < c.Dims.Count; s++)
        {
            if (s > 0)
            {
                string p = $"patch_embedds.{s}";
                x = RepConv(x, w, p + ".spatial.0", x.C, c.MergeKernel, 2, x.C);
                x = ConvBn(x, w, p + ".spatial.1", c.Dims[s]);
                x = Add(x, Ffn(x, w, p + ".channel.m", 2 * c.Dims[s]));
            }
            for (int b = 0; b < c.Depths[s]; b++)
            {
                string p = $"stages.{s}.blocks.{b}.block";
                var mixed = c.Mixers[s] switch
                {
                    TokenMixer.RepMix => RepConv(x, w, p + ".0.m", x.C, 3, 1, x.C),
                    TokenMixer.Mhla => LinearAttention(x, w, p + ".0.m", c.MhlaHeads, c.MhlaExpansion),
                    _ => SelfAttention(x, w, p + ".0.m", c.MhsaHeads, c.MhsaKeyDim, (int)(x.C * c.MhsaValueRatio)),
                };
                x = Add(x, mixed);
                x = Add(x, Ffn(x, w, p + ".1.m", c.MlpRatio * x.C));
            }
        }
        var pooled = Chw.Zeros(x.C, 1, 1);
        for (int ch = 0; ch < x.C; ch++) pooled.Data[ch] = x.Data.Skip(ch * x.Tokens).Take(x.Tokens).Average();
        var normed = BatchNorm(pooled, w, "head.classifier.bn", Eps);
        return Linear(normed.Data, x.C, w, "head.classifier.l", c.EmbeddingSize, bias: true);
    }

    /// <summary>RepConv: conv(k, pad k/2) + repconv(k/2, pad (k/2)/2), both with bias, then BN.</summary>
    private static Chw RepConv(Chw x, WeightSet w, string name, int outChannels, int kernel, int stride, int groups)
    {
        int pad = kernel / 2;
        var sum = Add(Conv2d(x, w, name + ".conv", outChannels, kernel, stride, pad, groups, bias: true),
            Conv2d(x, w, name + ".repconv", outChannels, kernel / 2, stride, pad / 2, groups, bias: true));
        return BatchNorm(sum, w, name + ".bn", Eps);
    }

    private static Chw ConvBn(Chw x, WeightSet w, string name, int outChannels) =>
        BatchNorm(Conv2d(x, w, name + ".c", outChannels, 1, 1, 0, 1, bias: false), w, name + ".bn", Eps);

    private static Chw Ffn(Chw x, WeightSet w, string name, int hidden) =>
        ConvBn(Gelu(ConvBn(x, w, name + ".pw1", hidden)), w, name + ".pw2", x.C);

    /// <summary>
    /// GroupNorm(1) → reshape(C, N) → chunk(heads) on channels → per chunk linear1, GELU, linear2 along tokens →
    /// cat on the last axis ([C/heads, heads·N]) → reshape(C, H, W) reading that buffer flat.
    /// </summary>
    private static Chw LinearAttention(Chw x, WeightSet w, string name, int heads, int expansion)
    {
        var normed = GroupNorm(x, w, name + ".norm", 1, Eps);
        int n = x.Tokens, perHead = x.C / heads;
        var cat = new double[perHead * heads * n];
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < perHead; j++)
            {
                double[] row = normed.Data.AsSpan((h * perHead + j) * n, n).ToArray();
                double[] hidden = Gelu(Linear(row, n, w, $"{name}.linear1.{h}", expansion * n, bias: true));
                double[] mixed = Linear(hidden, expansion * n, w, $"{name}.linear2.{h}", n, bias: true);
                for (int t = 0; t < n; t++) cat[j * heads * n + h * n + t] = mixed[t];
            }
        return new Chw(x.C, x.H, x.W, cat);
    }

    /// <summary>qkv_proj → reshape(heads, q+k+v, N) → softmax(q·kᵀ/√dk)·v → reshape(heads·dv, H, W) → out_proj.</summary>
    private static Chw SelfAttention(Chw x, WeightSet w, string name, int heads, int keyDim, int valueDim)
    {
        int headDim = 2 * keyDim + valueDim, n = x.Tokens;
        var qkv = ConvBn(x, w, name + ".qkv_proj", heads * headDim);
        var attended = Chw.Zeros(heads * valueDim, x.H, x.W);
        for (int h = 0; h < heads; h++)
        {
            double At(int channel, int token) => qkv.Data[(h * headDim + channel) * n + token];
            var scores = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < keyDim; d++) dot += At(d, i) * At(keyDim + d, j);
                    scores[i * n + j] = dot / Math.Sqrt(keyDim);
                }
            SoftmaxRows(scores, n);
            for (int i = 0; i < n; i++)
                for (int d = 0; d < valueDim; d++)
                {
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += scores[i * n + j] * At(2 * keyDim + d, j);
                    attended.Data[(h * valueDim + d) * n + i] = sum;
                }
        }
        return ConvBn(attended, w, name + ".out_proj", x.C);
    }
}
