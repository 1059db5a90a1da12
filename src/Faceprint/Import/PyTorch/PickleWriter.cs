using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// Emits pickle protocol 2 opcodes the way CPython's pickler would for the few value kinds a state dict needs:
/// ints, strings, bools, tuples, globals, persistent ids and calls. Globals and strings are memoised once and
/// fetched again with BINGET, as Python does.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _out = new();
    private readonly Dictionary<string, int> _memo = new(StringComparer.Ordinal);

    /// <summary>Starts a protocol 2 pickle.</summary>
    public PickleWriter()
    {
        Op(PickleOpcode.Proto);
        _out.WriteByte(2);
    }

    /// <summary>Writes one opcode that takes no argument.</summary>
    public void Op(PickleOpcode op) => _out.WriteByte((byte)op);

    /// <summary>Pushes an integer in the shortest encoding.</summary>
    public void Int(long value)
    {
        if (value is >= 0 and <= byte.MaxValue)
        {
            Op(PickleOpcode.BinInt1);
            _out.WriteByte((byte)value);
        }
        else if (value is >= 0 and <= ushort.MaxValue)
        {
            Op(PickleOpcode.BinInt2);
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
            _out.Write(b);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op(PickleOpcode.BinInt);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
            _out.Write(b);
        }
        else
        {
            // LONG1: little-endian two's complement, trimmed to the fewest bytes that keep the sign.
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            int n = 8;
            while (n > 1 && (b[n - 1] == 0 && b[n - 2] < 0x80 || b[n - 1] == 0xFF && b[n - 2] >= 0x80)) n--;
            Op(PickleOpcode.Long1);
            _out.WriteByte((byte)n);
            _out.Write(b[..n]);
        }
    }

    /// <summary>Pushes a string (memoised).</summary>
    public void String(string value)
    {
        if (Recall("s:" + value)) return;
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Op(PickleOpcode.BinUnicode);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _out.Write(length);
        _out.Write(bytes);
        Memoize("s:" + value);
    }

    /// <summary>Pushes global <paramref name="module"/>.<paramref name="name"/> (memoised).</summary>
    public void Global(string module, string name)
    {
        string key = "g:" + module + "\n" + name;
        if (Recall(key)) return;
        Op(PickleOpcode.Global);
        _out.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        Memoize(key);
    }

    /// <summary>Pushes a tuple of integers.</summary>
    public void IntTuple(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            Op(PickleOpcode.EmptyTuple);
            return;
        }
        if (values.Count > 3) Op(PickleOpcode.Mark);
        foreach (long v in values) Int(v);
        Op(values.Count switch { 1 => PickleOpcode.Tuple1, 2 => PickleOpcode.Tuple2, 3 => PickleOpcode.Tuple3, _ => PickleOpcode.Tuple });
    }

    /// <summary>Ends the pickle and returns its bytes.</summary>
    public byte[] Finish()
    {
        Op(PickleOpcode.Stop);
        return _out.ToArray();
    }

    private bool Recall(string key)
    {
        if (!_memo.TryGetValue(key, out int index)) return false;
        if (index <= byte.MaxValue)
        {
            Op(PickleOpcode.BinGet);
            _out.WriteByte((byte)index);
        }
        else
        {
            Op(PickleOpcode.LongBinGet);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, index);
            _out.Write(b);
        }
        return true;
    }

    private void Memoize(string key)
    {
        int index = _memo.Count;
        _memo[key] = index;
        if (index <= byte.MaxValue)
        {
            Op(PickleOpcode.BinPut);
            _out.WriteByte((byte)index);
        }
        else
        {
            Op(PickleOpcode.LongBinPut);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, index);
            _out.Write(b);
        }
    }
}
