namespace Faceprint.Export.Onnx;

/// <summary>A node attribute: an int, a list of ints or a float.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, long? integer, IReadOnlyList<long>? integers, float? real)
    {
        Name = name;
        Integer = integer;
        Integers = integers;
        Real = real;
    }

    /// <summary>Attribute name (e.g. "strides").</summary>
    public string Name { get; }

    /// <summary>The value of an int attribute.</summary>
    public long? Integer { get; }

    /// <summary>The value of an ints attribute.</summary>
    public IReadOnlyList<long>? Integers { get; }

    /// <summary>The value of a float attribute.</summary>
    public float? Real { get; }

    /// <summary>An int attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value, null, null);

    /// <summary>An ints attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, null, values, null);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, null, null, value);
}
