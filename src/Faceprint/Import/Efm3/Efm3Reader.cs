using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Faceprint.Core.Weights;

namespace Faceprint.Import.Efm3;

/// <summary>
/// Strict reader of FaceX "EFM3" weight files (SPEC §3). Every deviation — magic, versions, stage table, unused
/// slots, JSON length, tensor count, a tensor's byte count, truncation, trailing bytes, non-finite values — is a
/// <see cref="ModelFormatException"/> naming the field or tensor and its byte offset.
/// </summary>
public static class Efm3Reader
{
    /// <summary>File magic.</summary>
    public static ReadOnlySpan<byte> Magic => "EFM3"u8;

    /// <summary>The file format version this reader knows.</summary>
    public const int FormatVersion = 3;

    /// <summary>Offset of json_len: magic, version, then the 80-byte architecture header.</summary>
    internal const int JsonLengthOffset = 88;

    /// <summary>Upper bound on the debug JSON; FaceX writes a few hundred bytes.</summary>
    internal const int MaxJsonBytes = 1 << 20;

    /// <summary>Reads and validates a file.</summary>
    public static Efm3Model Read(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"EFM3 file not found: {path}");
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a file held in memory.</summary>
    public static Efm3Model Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || !bytes[..4].SequenceEqual(Magic))
            throw new ModelFormatException("not an EFM3 file (magic \"EFM3\" missing at offset 0)");
        Need(bytes, 0, JsonLengthOffset + 4, "the header");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version != FormatVersion) throw new ModelFormatException($"EFM3 version {version} at offset 4 is not supported (this reader knows {FormatVersion})");
        var header = ReadHeader(bytes);
        var config = header.ToConfig();
        var specs = Efm3Layout.Convs(config);

        uint jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[JsonLengthOffset..]);
        int offset = JsonLengthOffset + 4;
        if (jsonLength > MaxJsonBytes || offset + (long)jsonLength + 4 > bytes.Length)
            throw new ModelFormatException($"EFM3 json_len {jsonLength} at offset {JsonLengthOffset} runs past the end of the {bytes.Length}-byte file");
        offset += (int)jsonLength;

        uint tensorCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
        int expected = Efm3Layout.TensorCount(specs);
        if (tensorCount != expected)
            throw new ModelFormatException($"EFM3 n_tensors {tensorCount} at offset {offset}, the header implies {expected}");
        offset += 4;

        var convs = new List<Efm3Conv>(specs.Count);
        int index = 0;
        foreach (var spec in specs)
        {
            int o = spec.OutChannels;
            var weight = ReadTensor(bytes, ref offset, index++, $"{spec.Name} weight {NamedTensor.Format(spec.WeightShape)}", spec.WeightCount);
            var gamma = ReadTensor(bytes, ref offset, index++, $"{spec.Name} BN gamma [{o}]", o);
            var beta = ReadTensor(bytes, ref offset, index++, $"{spec.Name} BN beta [{o}]", o);
            var mean = ReadTensor(bytes, ref offset, index++, $"{spec.Name} BN running mean [{o}]", o);
            int varOffset = offset;
            var variance = ReadTensor(bytes, ref offset, index++, $"{spec.Name} BN running var [{o}]", o);
            if (variance.Any(v => v < 0))
                throw new ModelFormatException($"EFM3 tensor #{index - 1} ({spec.Name} BN running var) at offset {varOffset} has a negative variance");
            var slope = spec.HasPRelu ? ReadTensor(bytes, ref offset, index++, $"{spec.Name} PReLU slope [{o}]", o) : null;
            convs.Add(new Efm3Conv(spec, weight, gamma, beta, mean, variance, slope));
        }
        if (offset != bytes.Length)
            throw new ModelFormatException($"EFM3 file has {bytes.Length - offset} trailing bytes after the last tensor (offset {offset})");
        return new Efm3Model(header, convs);
    }

    private static Efm3Header ReadHeader(ReadOnlySpan<byte> bytes)
    {
        int headerVersion = bytes[8];
        if (headerVersion != Efm3Header.Version)
            throw new ModelFormatException($"EFM3 header version {headerVersion} at offset 8 is not supported (this reader knows {Efm3Header.Version})");
        int stageCount = bytes[9];
        if (stageCount is 0 or > Efm3Header.StageSlots)
            throw new ModelFormatException($"EFM3 n_stages {stageCount} at offset 9 is outside 1..{Efm3Header.StageSlots}");
        for (int i = 21; i < 24; i++)
            if (bytes[i] != 0) throw new ModelFormatException($"EFM3 header reserved byte at offset {i} is {bytes[i]}, must be 0");
        var stages = new List<Efm3Stage>();
        for (int slot = 0; slot < Efm3Header.StageSlots; slot++)
        {
            int at = 24 + 8 * slot;
            var entry = bytes.Slice(at, 8);
            if (slot >= stageCount)
            {
                if (entry.IndexOfAnyExcept((byte)0) >= 0)
                    throw new ModelFormatException($"EFM3 unused stage slot {slot} at offset {at} is not all zero");
                continue;
            }
            int t = entry[0], n = entry[1], s = entry[2];
            if (entry[3] != 0 || BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) != 0)
                throw new ModelFormatException($"EFM3 stage {slot} at offset {at}: reserved bytes are not zero");
            if (t == 0 || n == 0 || s is not (1 or 2))
                throw new ModelFormatException($"EFM3 stage {slot} at offset {at}: (t {t}, n {n}, s {s}) needs t ≥ 1, n ≥ 1, s 1 or 2");
            stages.Add(new Efm3Stage(t, n, s));
        }
        return new Efm3Header
        {
            StemKernel = bytes[10],
            StemStride = bytes[11],
            StemChannels = BinaryPrimitives.ReadUInt16LittleEndian(bytes[12..]),
            BlockChannels = BinaryPrimitives.ReadUInt16LittleEndian(bytes[14..]),
            FinalChannels = BinaryPrimitives.ReadUInt16LittleEndian(bytes[16..]),
            EmbeddingSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]),
            GdKernel = bytes[20],
            Stages = stages,
        };
    }

    private static float[] ReadTensor(ReadOnlySpan<byte> bytes, ref int offset, int index, string what, int count)
    {
        Need(bytes, offset, 4, $"tensor #{index} ({what}) byte count");
        uint byteCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
        if (byteCount != 4L * count)
            throw new ModelFormatException($"EFM3 tensor #{index} ({what}) at offset {offset} declares {byteCount} bytes, expected {4L * count}");
        offset += 4;
        Need(bytes, offset, (int)byteCount, $"tensor #{index} ({what}) data");
        // Data is usually not 4-byte aligned: copy instead of reinterpreting in place.
        var values = new float[count];
        bytes.Slice(offset, (int)byteCount).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new ModelFormatException($"EFM3 tensor #{index} ({what}) at offset {offset} holds a non-finite value at element {bad}");
        offset += (int)byteCount;
        return values;
    }

    private static void Need(ReadOnlySpan<byte> bytes, int offset, int count, string what)
    {
        if ((long)offset + count > bytes.Length)
            throw new ModelFormatException($"truncated EFM3 file: {what} at offset {offset} needs {count} bytes, the file ends at {bytes.Length}");
    }
}
