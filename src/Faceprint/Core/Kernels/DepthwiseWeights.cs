namespace Faceprint.Core.Kernels;

/// <summary>
/// A depthwise kernel packed once at load as [ky][kx][c] with the channel axis, the bias and the PReLU slopes
/// zero-padded to a multiple of 16 floats, so every weight load is a full register on any instruction set.
/// </summary>
public sealed class DepthwiseWeights
{
    /// <summary>Packs a [c, 1, kh, kw] kernel.</summary>
    public DepthwiseWeights(ReadOnlySpan<float> weight, int channels, int kh, int kw, ReadOnlySpan<float> bias, Activation activation)
    {
        if (weight.Length != channels * kh * kw) throw new ArgumentException($"kernel has {weight.Length} values, expected {channels}x1x{kh}x{kw}");
        if (bias.Length != channels) throw new ArgumentException($"bias has {bias.Length} values, expected {channels}");
        if (activation.Kind == ActivationKind.Gelu) throw new ArgumentException("GELU is not fused into depthwise convs");
        Channels = channels;
        KernelH = kh;
        KernelW = kw;
        Activation = activation;
        Stride = (channels + 15) / 16 * 16;
        Packed = GC.AllocateArray<float>(kh * kw * Stride, pinned: true);
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < kh * kw; t++)
                Packed[t * Stride + c] = weight[c * kh * kw + t];
        Bias = GC.AllocateArray<float>(Stride, pinned: true);
        bias.CopyTo(Bias);
        Slopes = GC.AllocateArray<float>(Stride, pinned: true);
        activation.Slopes?.CopyTo(Slopes, 0);
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelH { get; }

    /// <summary>Kernel width.</summary>
    public int KernelW { get; }

    /// <summary>The activation fused after the bias.</summary>
    public Activation Activation { get; }

    /// <summary>Padded channel stride of <see cref="Packed"/>.</summary>
    internal int Stride { get; }

    internal float[] Packed { get; }

    internal float[] Bias { get; }

    internal float[] Slopes { get; }
}
