using System.Buffers.Binary;

namespace Faceprint.Training.Data;

/// <summary>
/// The dmlc/MXNet RecordIO framing shared by <see cref="RecordIOReader"/> and <see cref="RecordIOWriter"/>: each part is
/// the magic word, a length word (upper 3 bits: continuation flag, lower 29: byte count), the bytes, zero padding to 4.
/// </summary>
internal static class RecordIOFormat
{
    /// <summary>Marks the start of every part.</summary>
    public const uint Magic = 0xced7230a;

    /// <summary>Bytes of a part's magic + length words.</summary>
    public const int PartHeaderSize = 8;

    /// <summary>Largest byte count one part can carry (29 bits).</summary>
    public const int MaxPartLength = (1 << 29) - 1;

    /// <summary>Continuation flag of a record stored in one part.</summary>
    public const uint Whole = 0;

    /// <summary>Continuation flag of the first part of a split record.</summary>
    public const uint First = 1;

    /// <summary>Continuation flag of a middle part.</summary>
    public const uint Middle = 2;

    /// <summary>Continuation flag of the last part.</summary>
    public const uint Last = 3;

    public static uint EncodeLength(uint flag, int length) => (flag << 29) | (uint)length;

    public static uint Flag(uint lengthWord) => lengthWord >> 29;

    public static int Length(uint lengthWord) => (int)(lengthWord & MaxPartLength);

    public static long Padded(long length) => (length + 3) & ~3L;

    /// <summary>Serialises an <c>IRHeader</c> (little endian, as MXNet's struct.pack('IfQQ')) and its extra labels.</summary>
    public static byte[] PackHeader(RecordIOHeader header)
    {
        if (header.ExtraLabels.Count != header.Flag)
            throw new ArgumentException($"header flag {header.Flag} must equal the number of extra labels ({header.ExtraLabels.Count})", nameof(header));
        var bytes = new byte[RecordIOHeader.FixedSize + 4 * header.ExtraLabels.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, header.Flag);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4), header.Label);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), header.Id);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), header.Id2);
        for (int i = 0; i < header.ExtraLabels.Count; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(RecordIOHeader.FixedSize + 4 * i), header.ExtraLabels[i]);
        return bytes;
    }

    /// <summary>Parses the <c>IRHeader</c> at the start of <paramref name="payload"/>; returns it and the byte count it took.</summary>
    public static (RecordIOHeader Header, int Size) UnpackHeader(ReadOnlySpan<byte> payload, string where)
    {
        if (payload.Length < RecordIOHeader.FixedSize)
            throw new RecordIOFormatException($"{where}: record of {payload.Length} bytes is shorter than its {RecordIOHeader.FixedSize}-byte header");
        uint flag = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        long size = RecordIOHeader.FixedSize + 4L * flag;
        if (size > payload.Length)
            throw new RecordIOFormatException($"{where}: header announces {flag} extra labels but the record holds only {payload.Length} bytes");
        var extra = new float[flag];
        for (int i = 0; i < extra.Length; i++)
            extra[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(RecordIOHeader.FixedSize + 4 * i)..]);
        var header = new RecordIOHeader(flag,
            BinaryPrimitives.ReadSingleLittleEndian(payload[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[16..]),
            extra);
        return (header, (int)size);
    }
}
