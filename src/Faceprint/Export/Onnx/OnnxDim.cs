namespace Faceprint.Export.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a name for a size chosen at run time.</summary>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A fixed size.</summary>
    public static OnnxDim Fixed(long value) => new(value, null);

    /// <summary>A free dimension (e.g. "N", the batch).</summary>
    public static OnnxDim Named(string param) => new(0, param);
}
