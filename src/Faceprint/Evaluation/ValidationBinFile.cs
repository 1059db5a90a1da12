using System.Buffers.Binary;
using System.Text;

namespace Faceprint.Evaluation;

/// <summary>
/// Reads InsightFace's validation files (<c>lfw.bin</c>, <c>cfp_fp.bin</c>, <c>agedb_30.bin</c>): a Python pickle of
/// <c>(list of encoded images, list of issame bools)</c>, the images in order pair by pair. Only the handful of pickle
/// opcodes such a file uses are understood — Python 2's string opcodes, Python 3's bytes opcodes and its protocol-2
/// <c>_codecs.encode(str, 'latin1')</c> spelling of bytes — and anything else is rejected, so no code is ever executed.
/// </summary>
public static class ValidationBinFile
{
    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="FaceprintException">The file is missing, not such a pickle, or its lists do not match up.</exception>
    public static (IReadOnlyList<byte[]> Images, IReadOnlyList<bool> Same) Load(string path)
    {
        if (!File.Exists(path))
            throw new FaceprintException($"validation file not found: {path}");
        return Parse(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Parses the pickle bytes; see <see cref="Load"/>.</summary>
    public static (IReadOnlyList<byte[]> Images, IReadOnlyList<bool> Same) Parse(ReadOnlySpan<byte> data, string name)
    {
        var result = new Unpickler(name).Run(data);
        if (result is not object[] { Length: 2 } tuple || tuple[0] is not List<object> images || tuple[1] is not List<object> same)
            throw new FaceprintException($"{name}: expected a pickled (images, issame) pair of lists");
        var bytes = images.Select(i => i as byte[] ?? throw new FaceprintException($"{name}: an image entry is not a byte string")).ToList();
        var flags = same.Select(s => s is bool b ? b : throw new FaceprintException($"{name}: an issame entry is not a bool")).ToList();
        if (bytes.Count != 2 * flags.Count)
            throw new FaceprintException($"{name}: {bytes.Count} images for {flags.Count} pairs (expected two per pair)");
        return (bytes, flags);
    }

    private sealed class Unpickler(string name)
    {
        private static readonly object Mark = new();
        private readonly List<object> _stack = [];
        private readonly Dictionary<long, object> _memo = [];

        public object Run(ReadOnlySpan<byte> data)
        {
            int p = 0;
            while (true)
            {
                if (p >= data.Length)
                    throw Error($"truncated at offset {p} (no STOP)");
                int at = p;
                byte op = data[p++];
                switch (op)
                {
                    case 0x80: p += 1; break; // PROTO
                    case 0x95: p += 8; break; // FRAME
                    case (byte)'(': _stack.Add(Mark); break;
                    case (byte)']': _stack.Add(new List<object>()); break;
                    case (byte)')': _stack.Add(Array.Empty<object>()); break;
                    case (byte)'a': { var item = Pop(); List().Add(item); break; }
                    case (byte)'e': { var items = PopToMark(); List().AddRange(items); break; }
                    case (byte)'t': _stack.Add(PopToMark().ToArray()); break;
                    case 0x85: _stack.Add(new[] { Pop() }); break;
                    case 0x86: { var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b, c }); break; }
                    case 0x88: _stack.Add(true); break;
                    case 0x89: _stack.Add(false); break;
                    case (byte)'q': _memo[Read(data, ref p, 1)[0]] = Top(); break;
                    case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Read(data, ref p, 4))] = Top(); break;
                    case 0x94: _memo[_memo.Count] = Top(); break;
                    case (byte)'h': _stack.Add(Memo(Read(data, ref p, 1)[0])); break;
                    case (byte)'j': _stack.Add(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Read(data, ref p, 4)))); break;
                    case (byte)'U' or (byte)'C': _stack.Add(Read(data, ref p, Read(data, ref p, 1)[0]).ToArray()); break;
                    case (byte)'T' or (byte)'B': _stack.Add(Read(data, ref p, Length(BinaryPrimitives.ReadUInt32LittleEndian(Read(data, ref p, 4)), at)).ToArray()); break;
                    case 0x8e: _stack.Add(Read(data, ref p, Length(BinaryPrimitives.ReadUInt64LittleEndian(Read(data, ref p, 8)), at)).ToArray()); break;
                    case (byte)'X': _stack.Add(Encoding.UTF8.GetString(Read(data, ref p, Length(BinaryPrimitives.ReadUInt32LittleEndian(Read(data, ref p, 4)), at)))); break;
                    case 0x8c: _stack.Add(Encoding.UTF8.GetString(Read(data, ref p, Read(data, ref p, 1)[0]))); break;
                    case (byte)'c': _stack.Add(Global(ReadLine(data, ref p), ReadLine(data, ref p), at)); break;
                    case (byte)'R': { var args = Pop(); var callable = Pop(); _stack.Add(Reduce(callable, args, at)); break; }
                    case (byte)'.': return _stack.Count == 1 ? _stack[0] : throw Error($"STOP with {_stack.Count} values on the stack");
                    default: throw Error($"unsupported pickle opcode 0x{op:x2} at offset {at} (not an InsightFace validation .bin?)");
                }
            }
        }

        /// <summary>Python 3's protocol 2 writes bytes as _codecs.encode(latin-1 text, 'latin1'); the only call allowed.</summary>
        private object Global(string module, string function, int at) =>
            module == "_codecs" && function == "encode" ? CodecsEncode.Instance : throw Error($"refusing to load global {module}.{function} at offset {at}");

        private object Reduce(object callable, object args, int at)
        {
            if (callable is not CodecsEncode || args is not object[] { Length: 2 } a || a[0] is not string text || a[1] is not "latin1")
                throw Error($"unsupported call at offset {at}");
            return Encoding.Latin1.GetBytes(text);
        }

        private object Pop()
        {
            if (_stack.Count == 0 || ReferenceEquals(_stack[^1], Mark))
                throw Error("stack underflow");
            var top = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return top;
        }

        private object Top() => _stack.Count > 0 ? _stack[^1] : throw Error("memo store on an empty stack");

        private List<object> List() => _stack.Count > 0 && _stack[^1] is List<object> list ? list : throw Error("append to something that is not a list");

        private List<object> PopToMark()
        {
            int mark = _stack.FindLastIndex(o => ReferenceEquals(o, Mark));
            if (mark < 0)
                throw Error("no MARK on the stack");
            var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
            _stack.RemoveRange(mark, _stack.Count - mark);
            return items;
        }

        private object Memo(long key) => _memo.TryGetValue(key, out var value) ? value : throw Error($"memo key {key} was never stored");

        private int Length(ulong length, int at) => length <= int.MaxValue ? (int)length : throw Error($"string of {length} bytes at offset {at}");

        private ReadOnlySpan<byte> Read(ReadOnlySpan<byte> data, ref int p, int count)
        {
            if (count < 0 || p + (long)count > data.Length)
                throw Error($"truncated: {count} bytes wanted at offset {p}, the file has {data.Length}");
            var span = data.Slice(p, count);
            p += count;
            return span;
        }

        private string ReadLine(ReadOnlySpan<byte> data, ref int p)
        {
            int end = data[p..].IndexOf((byte)'\n');
            if (end < 0)
                throw Error($"truncated text at offset {p}");
            var text = Encoding.ASCII.GetString(data.Slice(p, end));
            p += end + 1;
            return text;
        }

        private FaceprintException Error(string message) => new($"{name}: {message}");
    }

    private sealed class CodecsEncode
    {
        public static readonly CodecsEncode Instance = new();
    }
}
