using Faceprint.Core.Weights;
using Faceprint.Models.Vit;
using static Faceprint.Tests.Reference.TorchReference;

namespace Faceprint.Tests.Reference;

/// <summary>
/// InsightFace ViT's eval forward pass for one image as its PyTorch code states it: tokens as an N × D matrix,
/// qkv reshaped to (N, 3, heads, D/heads), double precision.
/// </summary>
internal static class VitReference
{
    public static double[] Forward(VitConfig c, WeightSet w, Chw image)
    {
        int d = c.EmbedDim, heads = c.Heads, hd = d / heads;
        var patches = Conv2d(image, w, "patch_embed.proj", d, c.PatchSize, c.PatchSize, 0, 1, bias: true);
        int n = patches.Tokens, hidden = (int)(d * c.MlpRatio);
        float[] pos = w["pos_embed"];
        var t = new double[n * d];
        for (int token = 0; token < n; token++)
            for (int ch = 0; ch < d; ch++) t[token * d + ch] = patches.Data[ch * n + token] + pos[token * d + ch];
        for (int b = 0; b < c.Depth; b++)
        {
            string p = $"blocks.{b}";
            double[] qkv = Linear(LayerNorm(t, d, w, p + ".norm1", 1e-5), d, w, p + ".attn.qkv", 3 * d, bias: false);
            var attended = new double[n * d];
            for (int h = 0; h < heads; h++)
            {
                double Q(int token, int e) => qkv[token * 3 * d + 0 * d + h * hd + e];
                double K(int token, int e) => qkv[token * 3 * d + 1 * d + h * hd + e];
                double V(int token, int e) => qkv[token * 3 * d + 2 * d + h * hd + e];
                var scores = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) dot += Q(i, e) * K(j, e);
                        scores[i * n + j] = dot * Math.Pow(hd, -0.5);
                    }
                SoftmaxRows(scores, n);
                for (int i = 0; i < n; i++)
                    for (int e = 0; e < hd; e++)
                    {
                        double sum = 0;
                        for (int j = 0; j < n; j++) sum += scores[i * n + j] * V(j, e);
                        attended[i * d + h * hd + e] = sum;
                    }
            }
            double[] projected = Linear(attended, d, w, p + ".attn.proj", d, bias: true);
            for (int i = 0; i < t.Length; i++) t[i] += projected[i];
            double[] mlp = Linear(LayerNorm(t, d, w, p + ".norm2", 1e-5), d, w, p + ".mlp.fc1", hidden, bias: true);
            for (int i = 0; i < mlp.Length; i++) mlp[i] = Math.Clamp(mlp[i], 0, 6);
            double[] back = Linear(mlp, hidden, w, p + ".mlp.fc2", d, bias: true);
            for (int i = 0; i < t.Length; i++) t[i] += back[i];
        }
        t = LayerNorm(t, d, w, "norm", 1e-5);
        var f = new Chw(d, 1, 1, Linear(t, n * d, w, "feature.0", d, bias: false));
        f = BatchNorm(f, w, "feature.1", 2e-5);
        var e2 = new Chw(c.EmbeddingSize, 1, 1, Linear(f.Data, d, w, "feature.2", c.EmbeddingSize, bias: false));
        return BatchNorm(e2, w, "feature.3", 2e-5).Data;
    }
}
