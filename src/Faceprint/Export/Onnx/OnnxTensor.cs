using System.Runtime.InteropServices;

namespace Faceprint.Export.Onnx;

/// <summary>A constant tensor of the graph (an initializer): name, dims and little-endian raw data.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(string name, long[] dims, int dataType, byte[] raw)
    {
        Name = name;
        Dims = dims;
        DataType = dataType;
        Raw = raw;
    }

    /// <summary>Tensor name, referenced by node inputs.</summary>
    public string Name { get; }

    /// <summary>Dimensions.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>TensorProto.DataType (1 float, 2 uint8, 3 int8, 7 int64).</summary>
    public int DataType { get; }

    /// <summary>Values as raw little-endian bytes.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>An fp32 tensor; <paramref name="values"/> must have the dims' element count.</summary>
    public static OnnxTensor Float(string name, long[] dims, ReadOnlySpan<float> values)
    {
        Check(name, dims, values.Length);
        return new OnnxTensor(name, dims, Proto.OnnxFields.Tensor.Float, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>An int64 tensor (shapes, axes).</summary>
    public static OnnxTensor Int64(string name, long[] dims, ReadOnlySpan<long> values)
    {
        Check(name, dims, values.Length);
        return new OnnxTensor(name, dims, Proto.OnnxFields.Tensor.Int64, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>A uint8 tensor (activation zero points).</summary>
    public static OnnxTensor UInt8(string name, long[] dims, ReadOnlySpan<byte> values)
    {
        Check(name, dims, values.Length);
        return new OnnxTensor(name, dims, Proto.OnnxFields.Tensor.UInt8, values.ToArray());
    }

    /// <summary>An int8 tensor (quantized weights and their zero points).</summary>
    public static OnnxTensor Int8(string name, long[] dims, ReadOnlySpan<sbyte> values)
    {
        Check(name, dims, values.Length);
        return new OnnxTensor(name, dims, Proto.OnnxFields.Tensor.Int8, MemoryMarshal.AsBytes(values).ToArray());
    }

    private static void Check(string name, long[] dims, int count)
    {
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count) throw new ArgumentException($"ONNX tensor {name}: {count} values for dims [{string.Join(",", dims)}]");
    }
}
