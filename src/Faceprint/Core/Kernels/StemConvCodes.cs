using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Core.Kernels;

/// <summary>
/// The per-channel u8 quantization a <see cref="StemConvKernel"/> or <see cref="Int8StemConv"/> epilogue applies when the
/// conv's only reader is an int8 layer taking codes: 1 / scale and zero point per output channel, zero-padded to whole
/// column panels (pinned, so the kernel takes their address without a fixed block). Codes come out exactly as <see cref="Int8QuantizeChannels"/> makes
/// them from the float output, without the float tensor and the separate pass.
/// </summary>
internal sealed class StemConvCodes
{
    // The widest column panel (two AVX-512 registers): padding to it covers every instruction set's panels.
    private const int PanelFloats = 32;

    public StemConvCodes(IReadOnlyList<QuantParams> channels)
    {
        if (channels.Count == 0) throw new ArgumentException("no channel quantizations");
        Channels = channels.ToArray();
        int padded = (channels.Count + PanelFloats - 1) / PanelFloats * PanelFloats;
        Inverse = GC.AllocateArray<float>(padded, pinned: true);
        ZeroPoints = GC.AllocateArray<int>(padded, pinned: true);
        for (int c = 0; c < channels.Count; c++)
        {
            Inverse[c] = 1f / channels[c].Scale;
            ZeroPoints[c] = channels[c].ZeroPoint;
        }
    }

    /// <summary>Each output channel's code parameters.</summary>
    public IReadOnlyList<QuantParams> Channels { get; }

    internal float[] Inverse { get; }

    internal int[] ZeroPoints { get; }
}
