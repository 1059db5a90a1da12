namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// How one activation tensor maps to unsigned 8-bit codes: q = clamp(round(x / <see cref="Scale"/>) + <see cref="ZeroPoint"/>, 0, 255),
/// x ≈ (q − ZeroPoint)·Scale. The range always contains 0 (so zero padding and ReLU outputs are exact); a
/// non-negative tensor gets zero point 0 and all 256 codes for its positive side.
/// </summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>Largest code.</summary>
    public const int MaxCode = 255;

    /// <summary>Parameters covering [<paramref name="min"/>, <paramref name="max"/>] (widened to include 0).</summary>
    public static QuantParams FromRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max) throw new ArgumentException($"invalid range [{min}, {max}]");
        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        if (max - min <= 0f) return new QuantParams(1f, 0);
        float scale = (max - min) / MaxCode;
        int zero = Math.Clamp((int)MathF.Round(-min / scale), 0, MaxCode);
        return new QuantParams(scale, zero);
    }

    /// <summary>Throws unless the scale is positive and finite and the zero point a valid code (file readers call this).</summary>
    public void Validate(string what)
    {
        if (!(Scale > 0f) || !float.IsFinite(Scale)) throw new ModelFormatException($"{what}: activation scale {Scale} is not a positive finite number");
        if (ZeroPoint is < 0 or > MaxCode) throw new ModelFormatException($"{what}: activation zero point {ZeroPoint} is outside [0, {MaxCode}]");
    }

    /// <summary>The code for <paramref name="x"/>, exactly as every kernel path computes it.</summary>
    public int Quantize(float x) => Int8Quantize.Code(x, 1f / Scale, ZeroPoint);
}
