namespace Faceprint.Import.TfJs;

/// <summary>
/// A constant of a TF.js graph model, decoded from the weight shards: float data (float32, float16, or dequantised
/// uint8/uint16) or int32 data, with its shape (empty for a scalar).
/// </summary>
public sealed record TfJsTensor(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Count => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The float data; throws when the tensor holds integers.</summary>
    public float[] RequireFloats() => Floats ?? throw new ModelFormatException($"constant '{Name}' should hold floats, not integers");

    /// <summary>The int32 data; throws when the tensor holds floats.</summary>
    public int[] RequireInts() => Ints ?? throw new ModelFormatException($"constant '{Name}' should hold int32 values, not floats");
}
