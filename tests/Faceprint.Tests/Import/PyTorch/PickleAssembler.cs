using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Tests.Import.PyTorch;

/// <summary>Hand-assembles pickle byte streams opcode by opcode, so tests control exactly what a reader sees.</summary>
internal sealed class PickleAssembler
{
    private readonly List<byte> _bytes = [];

    public PickleAssembler Op(char op) => Raw((byte)op);

    public PickleAssembler Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleAssembler Proto(int version) => Raw(0x80, (byte)version);

    /// <summary>FRAME announcing <paramref name="length"/> bytes.</summary>
    public PickleAssembler Frame(long length) => Raw(0x95).Raw(Le64(length));

    public PickleAssembler Mark() => Op('(');
    public PickleAssembler Stop() => Op('.');
    public PickleAssembler EmptyTuple() => Op(')');
    public PickleAssembler EmptyDict() => Op('}');
    public PickleAssembler EmptyList() => Op(']');
    public PickleAssembler Tuple() => Op('t');
    public PickleAssembler Tuple1() => Raw(0x85);
    public PickleAssembler Tuple2() => Raw(0x86);
    public PickleAssembler Tuple3() => Raw(0x87);
    public PickleAssembler Reduce() => Op('R');
    public PickleAssembler NewObj() => Raw(0x81);
    public PickleAssembler Build() => Op('b');
    public PickleAssembler SetItem() => Op('s');
    public PickleAssembler SetItems() => Op('u');
    public PickleAssembler Appends() => Op('e');
    public PickleAssembler BinPersId() => Op('Q');
    public PickleAssembler False() => Raw(0x89);
    public PickleAssembler True() => Raw(0x88);
    public PickleAssembler None() => Op('N');
    public PickleAssembler Memoize() => Raw(0x94);
    public PickleAssembler BinPut(int index) => Raw((byte)'q', (byte)index);
    public PickleAssembler BinGet(int index) => Raw((byte)'h', (byte)index);
    public PickleAssembler LongBinPut(int index) => Raw((byte)'r').Raw(Le32(index));
    public PickleAssembler LongBinGet(int index) => Raw((byte)'j').Raw(Le32(index));

    /// <summary>An int in the encoding CPython picks (BININT1, BININT2, BININT, else LONG1).</summary>
    public PickleAssembler Int(long value)
    {
        if (value is >= 0 and < 256) return Raw((byte)'K', (byte)value);
        if (value is >= 0 and < 65536) return Raw((byte)'M', (byte)value, (byte)(value >> 8));
        if (value is >= int.MinValue and <= int.MaxValue) return Raw((byte)'J').Raw(Le32((int)value));
        return Raw(0x8a, 8).Raw(Le64(value));
    }

    public PickleAssembler Float(double value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        return Raw((byte)'G').Raw(b);
    }

    /// <summary>BINUNICODE (4-byte length).</summary>
    public PickleAssembler Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        return Raw((byte)'X').Raw(Le32(b.Length)).Raw(b);
    }

    /// <summary>SHORT_BINUNICODE (1-byte length, protocol 4).</summary>
    public PickleAssembler ShortStr(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        return Raw(0x8c, (byte)b.Length).Raw(b);
    }

    /// <summary>BINUNICODE8 (8-byte length, protocol 4).</summary>
    public PickleAssembler Str8(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        return Raw(0x8d).Raw(Le64(b.Length)).Raw(b);
    }

    /// <summary>GLOBAL with its text operands (protocols 0–3).</summary>
    public PickleAssembler Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>STACK_GLOBAL from two memoised short strings (protocol 4).</summary>
    public PickleAssembler StackGlobal(string module, string name) => ShortStr(module).Memoize().ShortStr(name).Memoize().Raw(0x93);

    /// <summary>
    /// Pushes torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) for storage
    /// <paramref name="key"/>, as torch.save lays it out (protocol 2 GLOBALs, or protocol 4 STACK_GLOBALs).
    /// </summary>
    public PickleAssembler Tensor(string key, string storageClass, long numel, long offset, long[] size, long[] stride, bool protocol4 = false)
    {
        Global(protocol4, "torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage");
        Global(protocol4, "torch", storageClass).Str(key).Str("cpu").Int(numel).Tuple().BinPersId();
        Int(offset);
        Mark();
        foreach (long s in size) Int(s);
        Tuple().Mark();
        foreach (long s in stride) Int(s);
        Tuple().False();
        return Global(protocol4, "collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce();
    }

    public byte[] ToArray() => [.. _bytes];

    public int Length => _bytes.Count;

    private PickleAssembler Global(bool protocol4, string module, string name) => protocol4 ? StackGlobal(module, name) : Global(module, name);

    private static byte[] Le32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] Le64(long v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        return b;
    }
}
