namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Merges RepConv's two parallel convs (k×k and a centred smaller kernel, same stride, padding k/2 and
/// small/2) into one k×k conv: zero-pad the small kernel to k×k around the centre and add, and add the biases.
/// Both convs see the same input at the same centre tap, so the sum is exact.
/// </summary>
internal static class RepConvMerging
{
    /// <summary>Merged weight [out, in/g, k, k] and bias [out].</summary>
    public static (float[] Weight, float[] Bias) Merge(ReadOnlySpan<float> large, ReadOnlySpan<float> largeBias, int kernel,
        ReadOnlySpan<float> small, ReadOnlySpan<float> smallBias, int smallKernel)
    {
        int maps = large.Length / (kernel * kernel);
        if (small.Length != maps * smallKernel * smallKernel || (kernel - smallKernel) % 2 != 0)
            throw new ArgumentException($"cannot centre a {smallKernel}x{smallKernel} kernel in {kernel}x{kernel}");
        var weight = large.ToArray();
        int offset = (kernel - smallKernel) / 2;
        for (int m = 0; m < maps; m++)
            for (int y = 0; y < smallKernel; y++)
                for (int x = 0; x < smallKernel; x++)
                    weight[(m * kernel + y + offset) * kernel + x + offset] += small[(m * smallKernel + y) * smallKernel + x];
        var bias = new float[largeBias.Length];
        for (int o = 0; o < bias.Length; o++) bias[o] = largeBias[o] + smallBias[o];
        return (weight, bias);
    }
}
