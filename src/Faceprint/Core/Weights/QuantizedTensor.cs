namespace Faceprint.Core.Weights;

/// <summary>
/// A parameter stored as signed 8-bit codes with one float scale per output channel (the first dimension): value ≈
/// code·<see cref="Scales"/>[channel], codes in [−127, 127] (symmetric). Model files carry the quantized conv
/// weights of an int8 model in this form, so the loader packs the codes as they are.
/// </summary>
public sealed record QuantizedTensor(string Name, int[] Shape, sbyte[] Codes, float[] Scales)
{
    /// <summary>Throws a <see cref="ModelFormatException"/> naming the defect unless sizes, codes and scales are valid.</summary>
    public void Validate()
    {
        if (Shape.Length == 0 || Shape.Any(d => d <= 0)) throw new ModelFormatException($"int8 tensor '{Name}' has invalid shape {NamedTensor.Format(Shape)}");
        if (NamedTensor.Count(Shape) != Codes.Length)
            throw new ModelFormatException($"int8 tensor '{Name}' shape {NamedTensor.Format(Shape)} does not match its {Codes.Length} codes");
        if (Scales.Length != Shape[0])
            throw new ModelFormatException($"int8 tensor '{Name}' has {Scales.Length} scales for {Shape[0]} output channels");
        for (int i = 0; i < Scales.Length; i++)
            if (!(Scales[i] > 0f) || !float.IsFinite(Scales[i]))
                throw new ModelFormatException($"int8 tensor '{Name}': scale {Scales[i]} of channel {i} is not a positive finite number");
        if (Array.IndexOf(Codes, sbyte.MinValue) is var at and >= 0)
            throw new ModelFormatException($"int8 tensor '{Name}': code -128 at {at} is outside the symmetric range [-127, 127]");
    }

    /// <summary>The fp32 values the codes stand for (what fp32 inference of an int8 file runs on).</summary>
    public NamedTensor Dequantize()
    {
        var data = new float[Codes.Length];
        int perChannel = Codes.Length / Shape[0];
        for (int i = 0; i < data.Length; i++) data[i] = Codes[i] * Scales[i / perChannel];
        return new NamedTensor(Name, Shape, data);
    }
}
