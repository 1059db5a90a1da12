using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Import.TfLite;

/// <summary>
/// A read-only view of one FlatBuffers table. TFLite files are FlatBuffers; the handful of fields the
/// importer needs is small enough that a generated schema would be more code than this reader.
/// Every offset is bounds-checked so a truncated file fails with a clear error, never an overrun.
/// </summary>
internal readonly struct FlatBufferTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableSize;

    private FlatBufferTable(byte[] buffer, int position)
    {
        _buffer = buffer;
        _position = position;
        _vtable = position - ReadInt32(buffer, position);
        _vtableSize = ReadUInt16(buffer, _vtable);
    }

    /// <summary>The root table of a FlatBuffers file.</summary>
    public static FlatBufferTable Root(byte[] buffer) => new(buffer, ReadInt32(buffer, 0));

    private int FieldOffset(int field)
    {
        int entry = 4 + field * 2;
        if (entry >= _vtableSize) return 0;
        return ReadUInt16(_buffer, _vtable + entry);
    }

    public bool Has(int field) => FieldOffset(field) != 0;

    public int GetInt32(int field, int fallback = 0)
    {
        int o = FieldOffset(field);
        return o == 0 ? fallback : ReadInt32(_buffer, _position + o);
    }

    public uint GetUInt32(int field, uint fallback = 0) => (uint)GetInt32(field, (int)fallback);

    public byte GetByte(int field, byte fallback = 0)
    {
        int o = FieldOffset(field);
        if (o == 0) return fallback;
        Check(_buffer, _position + o, 1);
        return _buffer[_position + o];
    }

    public float GetFloat(int field, float fallback = 0f)
    {
        int o = FieldOffset(field);
        return o == 0 ? fallback : BitConverter.Int32BitsToSingle(ReadInt32(_buffer, _position + o));
    }

    public long GetInt64(int field, long fallback = 0)
    {
        int o = FieldOffset(field);
        if (o == 0) return fallback;
        Check(_buffer, _position + o, 8);
        return BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_position + o));
    }

    private int Indirect(int field)
    {
        int o = FieldOffset(field);
        if (o == 0) return -1;
        int at = _position + o;
        return at + ReadInt32(_buffer, at);
    }

    public FlatBufferTable? GetTable(int field)
    {
        int at = Indirect(field);
        return at < 0 ? null : new FlatBufferTable(_buffer, at);
    }

    public string? GetString(int field)
    {
        int at = Indirect(field);
        if (at < 0) return null;
        int length = ReadInt32(_buffer, at);
        Check(_buffer, at + 4, length);
        return Encoding.UTF8.GetString(_buffer, at + 4, length);
    }

    public int VectorLength(int field)
    {
        int at = Indirect(field);
        return at < 0 ? 0 : ReadInt32(_buffer, at);
    }

    public int[] GetInt32Vector(int field)
    {
        int at = Indirect(field);
        if (at < 0) return [];
        int n = ReadInt32(_buffer, at);
        Check(_buffer, at + 4, checked(n * 4));
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(at + 4 + 4 * i));
        return result;
    }

    public ReadOnlyMemory<byte> GetBytes(int field)
    {
        int at = Indirect(field);
        if (at < 0) return ReadOnlyMemory<byte>.Empty;
        int n = ReadInt32(_buffer, at);
        Check(_buffer, at + 4, n);
        return new ReadOnlyMemory<byte>(_buffer, at + 4, n);
    }

    public FlatBufferTable GetTableElement(int field, int index)
    {
        int at = Indirect(field);
        int n = at < 0 ? 0 : ReadInt32(_buffer, at);
        if ((uint)index >= (uint)n) throw new ModelFormatException($"TFLite: vector index {index} out of range {n}");
        int element = at + 4 + 4 * index;
        return new FlatBufferTable(_buffer, element + ReadInt32(_buffer, element));
    }

    private static int ReadInt32(byte[] buffer, int at)
    {
        Check(buffer, at, 4);
        return BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
    }

    private static int ReadUInt16(byte[] buffer, int at)
    {
        Check(buffer, at, 2);
        return BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at));
    }

    private static void Check(byte[] buffer, int at, int length)
    {
        if (at < 0 || length < 0 || (long)at + length > buffer.Length)
            throw new ModelFormatException($"TFLite: offset {at}+{length} lies outside the {buffer.Length}-byte file (truncated or not a TFLite model)");
    }
}
