namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Per-channel quantization terms laid out for one flat pass over NHWC floats (<see cref="Int8QuantizeChannels"/>): each
/// channel's 1 / scale and zero point repeated along <see cref="Period"/> = lcm(channels, 16) lanes, then 16 more lanes
/// that start the repeat again, so the terms of any run of up to 16 consecutive elements are one unaligned load at the
/// element's phase, whatever the channel count (24 channels: three registers per two pixels, no per-pixel tail).
/// </summary>
internal sealed class Int8ChannelTerms
{
    /// <summary>Lanes one vector register covers at most.</summary>
    internal const int Lanes = 16;

    /// <summary>Lays out <paramref name="channels"/>' terms.</summary>
    public Int8ChannelTerms(IReadOnlyList<QuantParams> channels)
    {
        if (channels.Count == 0) throw new ArgumentException("no channel quantizations");
        Channels = channels.Count;
        int period = Channels;
        while (period % Lanes != 0) period += Channels;
        Period = period;
        Inverse = new float[period + Lanes];
        ZeroPoints = new int[period + Lanes];
        for (int i = 0; i < Inverse.Length; i++)
        {
            var q = channels[i % Channels];
            Inverse[i] = 1f / q.Scale;
            ZeroPoints[i] = q.ZeroPoint;
        }
    }

    /// <summary>Channels (the innermost axis).</summary>
    public int Channels { get; }

    /// <summary>Lanes after which the terms repeat: the least multiple of <see cref="Channels"/> that is a multiple of 16.</summary>
    public int Period { get; }

    /// <summary>1 / scale of lane i's channel (i mod <see cref="Channels"/>), <see cref="Period"/> + 16 lanes.</summary>
    internal float[] Inverse { get; }

    /// <summary>Zero point of lane i's channel, laid out as <see cref="Inverse"/>.</summary>
    internal int[] ZeroPoints { get; }

    /// <summary>Where flat element <paramref name="index"/> (of NHWC data) falls in the period.</summary>
    public int PhaseOf(long index) => (int)(index % Period);
}
