using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// A pickle virtual machine for data-only pickles (protocols 2–5, the opcodes torch.save's state dicts use).
/// It builds plain values itself and defers every global, call, persistent id and BUILD to an
/// <see cref="IPickleResolver"/>, so nothing in the stream is ever executed. Every read is bounds-checked;
/// anything unknown or malformed is a <see cref="ModelFormatException"/> naming the byte offset.
/// </summary>
internal sealed class Unpickler
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly IPickleResolver _resolver;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _opcodeAt;

    /// <summary>Prepares to unpickle <paramref name="data"/>.</summary>
    public Unpickler(byte[] data, IPickleResolver resolver)
    {
        _data = data;
        _resolver = resolver;
    }

    /// <summary>Runs the pickle to its STOP and returns the value it leaves.</summary>
    public object? Load()
    {
        while (true)
        {
            _opcodeAt = _pos;
            var op = (PickleOpcode)ReadByte();
            switch (op)
            {
                case PickleOpcode.Proto:
                    int protocol = ReadByte();
                    if (protocol > 5) throw Error($"unsupported pickle protocol {protocol}");
                    break;
                case PickleOpcode.Frame:
                    // Frames only group opcodes for buffered reading; the length just has to fit the stream.
                    if (ReadUInt64() > (ulong)(_data.Length - _pos)) throw Error("frame runs past the end of the pickle");
                    break;
                case PickleOpcode.Stop:
                    if (_stack.Count != 1 || _marks.Count != 0) throw Error($"STOP with {_stack.Count} values on the stack and {_marks.Count} open marks");
                    return _stack[0];

                case PickleOpcode.Mark: _marks.Push(_stack.Count); break;
                case PickleOpcode.Pop: Pop(); break;
                case PickleOpcode.PopMark: PopToMark(); break;
                case PickleOpcode.Dup: Push(Peek()); break;

                case PickleOpcode.None: Push(null); break;
                case PickleOpcode.NewTrue: Push(true); break;
                case PickleOpcode.NewFalse: Push(false); break;
                case PickleOpcode.BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case PickleOpcode.BinInt1: Push((long)ReadByte()); break;
                case PickleOpcode.BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case PickleOpcode.Long1: Push(ReadLong1()); break;
                case PickleOpcode.BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case PickleOpcode.ShortBinUnicode: Push(ReadText(ReadByte())); break;
                case PickleOpcode.BinUnicode: Push(ReadText(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case PickleOpcode.BinUnicode8: Push(ReadText(ReadUInt64())); break;

                case PickleOpcode.EmptyTuple: Push(Array.Empty<object?>()); break;
                case PickleOpcode.Tuple1: Push(new[] { Pop() }); break;
                case PickleOpcode.Tuple2: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                case PickleOpcode.Tuple3: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                case PickleOpcode.Tuple: Push(PopToMark()); break;
                case PickleOpcode.EmptyList: Push(new List<object?>()); break;
                case PickleOpcode.EmptyDict: Push(new PickleDict()); break;
                case PickleOpcode.Append: { var v = Pop(); Expect<List<object?>>(Peek(), "APPEND").Add(v); break; }
                case PickleOpcode.Appends: { var items = PopToMark(); Expect<List<object?>>(Peek(), "APPENDS").AddRange(items); break; }
                case PickleOpcode.SetItem: { var v = Pop(); var k = Pop(); Expect<PickleDict>(Peek(), "SETITEM").Set(k, v); break; }
                case PickleOpcode.SetItems: SetItems(); break;

                case PickleOpcode.BinPut: Memo(ReadByte()); break;
                case PickleOpcode.LongBinPut: Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break;
                case PickleOpcode.Memoize: Memo(_memo.Count); break;
                case PickleOpcode.BinGet: Push(Recall(ReadByte())); break;
                case PickleOpcode.LongBinGet: Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;

                case PickleOpcode.Global:
                    {
                        string module = ReadLine();
                        string name = ReadLine();
                        Push(_resolver.FindGlobal(module, name));
                        break;
                    }
                case PickleOpcode.StackGlobal:
                    {
                        string name = Expect<string>(Pop(), "STACK_GLOBAL name");
                        string module = Expect<string>(Pop(), "STACK_GLOBAL module");
                        Push(_resolver.FindGlobal(module, name));
                        break;
                    }
                case PickleOpcode.Reduce:
                case PickleOpcode.NewObj:
                    {
                        var args = Expect<object?[]>(Pop(), op == PickleOpcode.Reduce ? "REDUCE arguments" : "NEWOBJ arguments");
                        var callable = Pop() ?? throw Error("call of None");
                        Push(_resolver.Call(callable, args));
                        break;
                    }
                case PickleOpcode.Build: { var state = Pop(); _resolver.Build(Peek(), state); break; }
                case PickleOpcode.BinPersId: Push(_resolver.PersistentLoad(Pop())); break;

                default:
                    throw Error($"unsupported pickle opcode 0x{(byte)op:x2}");
            }
        }
    }

    private void SetItems()
    {
        var items = PopToMark();
        if (items.Length % 2 != 0) throw Error("SETITEMS with an odd number of values");
        var dict = Expect<PickleDict>(Peek(), "SETITEMS");
        for (int i = 0; i < items.Length; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek()
    {
        if (_stack.Count == 0 || _marks.Count > 0 && _marks.Peek() == _stack.Count) throw Error("stack underflow");
        return _stack[^1];
    }

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopToMark()
    {
        if (_marks.Count == 0) throw Error("no MARK to pop to");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Memo(long index) => _memo[index] = Peek();

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Error($"memo entry {index} read before it was written");

    private T Expect<T>(object? value, string what) =>
        value is T t ? t : throw Error($"{what} expects {typeof(T).Name}, found {PickleValue.Describe(value)}");

    private byte ReadByte() => Take(1)[0];

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private ReadOnlySpan<byte> Take(ulong count)
    {
        if (count > (ulong)(_data.Length - _pos)) throw Error("pickle is truncated");
        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private string ReadText(ulong byteCount)
    {
        var bytes = Take(byteCount);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error("string is not valid UTF-8");
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Error("pickle is truncated");
        string line = ReadText((ulong)(end - _pos));
        _pos++;
        return line;
    }

    private long ReadLong1()
    {
        var bytes = Take(ReadByte());
        if (bytes.Length > 8) throw Error($"integer of {bytes.Length} bytes does not fit 64 bits");
        if (bytes.Length == 0) return 0;
        // Little-endian two's complement: sign-extend from the top byte.
        long value = (sbyte)bytes[^1];
        for (int i = bytes.Length - 2; i >= 0; i--) value = value << 8 | bytes[i];
        return value;
    }

    private ModelFormatException Error(string message) => new($"pickle: {message} (at byte {_opcodeAt})");
}
