using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Faceprint.Import.Checkpoints;

/// <summary>Converts little-endian element bytes of every <see cref="TensorElementType"/> to and from fp32.</summary>
internal static class TensorElementCodec
{
    /// <summary>Bytes per element.</summary>
    public static int Size(TensorElementType type) => type switch
    {
        TensorElementType.Float32 or TensorElementType.Int32 => 4,
        TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Float64 or TensorElementType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Decodes <paramref name="bytes"/> (a whole number of elements) to fp32.</summary>
    public static float[] Decode(ReadOnlySpan<byte> bytes, TensorElementType type)
    {
        int size = Size(type);
        if (bytes.Length % size != 0) throw new ArgumentException("byte count is not a whole number of elements", nameof(bytes));
        var values = new float[bytes.Length / size];
        switch (type)
        {
            case TensorElementType.Float32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                if (!BitConverter.IsLittleEndian)
                {
                    var bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }
                break;
            case TensorElementType.Float16:
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case TensorElementType.BFloat16:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
            case TensorElementType.Float64:
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                break;
            case TensorElementType.Int64:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(8 * i)..]);
                break;
            case TensorElementType.Int32:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
                break;
        }
        return values;
    }

    /// <summary>
    /// Encodes fp32 values as <paramref name="type"/>; narrowing rounds to nearest even, and integer types
    /// refuse values that are not whole numbers in range (so a writer never silently changes a value).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<float> values, TensorElementType type, string name)
    {
        var bytes = new byte[(long)values.Length * Size(type)];
        var span = bytes.AsSpan();
        switch (type)
        {
            case TensorElementType.Float32:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], values[i]);
                break;
            case TensorElementType.Float16:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(span[(2 * i)..], (Half)values[i]);
                break;
            case TensorElementType.BFloat16:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], ToBFloat16(values[i]));
                break;
            case TensorElementType.Float64:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(8 * i)..], values[i]);
                break;
            case TensorElementType.Int64:
                for (int i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteInt64LittleEndian(span[(8 * i)..], (long)WholeNumber(values[i], long.MinValue, long.MaxValue, name, type));
                break;
            case TensorElementType.Int32:
                for (int i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteInt32LittleEndian(span[(4 * i)..], (int)WholeNumber(values[i], int.MinValue, int.MaxValue, name, type));
                break;
        }
        return bytes;
    }

    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40); // keep it a quiet NaN after truncation
        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    private static double WholeNumber(float value, double min, double max, string name, TensorElementType type)
    {
        // float's 24-bit mantissa cannot reach long.MaxValue exactly, so the range test is on doubles.
        if (!float.IsFinite(value) || value != MathF.Round(value) || value < min || value >= max)
            throw new ArgumentException($"tensor '{name}' holds {value}, which is not representable as {type}");
        return value;
    }
}
