using Google.Protobuf;

namespace Faceprint.Export.Onnx.Proto;

/// <summary>
/// Protocol-buffer encoding of one message with <see cref="CodedOutputStream"/>. Nested messages are encoded into
/// their own writer first because the wire format prefixes them with their length.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public ProtoWriter() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public void Int64(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
    }

    public void Float(int field, float value)
    {
        _out.WriteTag(field, WireFormat.WireType.Fixed32);
        _out.WriteFloat(value);
    }

    public void String(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
    }

    /// <summary>Repeated int64 written one tag per element, as onnx.proto (proto2, not packed) declares them.</summary>
    public void RepeatedInt64(int field, IEnumerable<long> values)
    {
        foreach (long v in values) Int64(field, v);
    }

    /// <summary>A nested message whose fields <paramref name="body"/> writes.</summary>
    public void Message(int field, Action<ProtoWriter> body)
    {
        var child = new ProtoWriter();
        body(child);
        Bytes(field, child.ToArray());
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }
}
