namespace Faceprint.Core.Kernels;

/// <summary>How output pixels map onto input coordinates when resizing (TFLite's RESIZE_BILINEAR flags).</summary>
public readonly record struct ResizeMapping(bool AlignCorners, bool HalfPixelCenters)
{
    /// <summary>The input coordinate output index <paramref name="o"/> reads, clamped into [0, in − 1].</summary>
    public float Source(int o, int inSize, int outSize)
    {
        float scale = AlignCorners && outSize > 1 ? (inSize - 1f) / (outSize - 1f) : (float)inSize / outSize;
        float s = HalfPixelCenters ? (o + 0.5f) * scale - 0.5f : o * scale;
        // Past either edge the nearest row or column is repeated, as TFLite's clamped neighbours do.
        return Math.Clamp(s, 0f, inSize - 1f);
    }
}
