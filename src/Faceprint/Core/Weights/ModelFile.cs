using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faceprint.Core.Weights;

/// <summary>
/// The engine's own self-describing weight file (".fpm"):
/// <c>"FPM1"</c>, u32 format version, u32 header length, UTF-8 JSON header (family, config, tensor table,
/// data length and SHA-256), the header's own SHA-256 (32 bytes), zero padding to a 64-byte boundary, then
/// little-endian fp32 data with every tensor 64-byte aligned. Both checksums make a damaged file fail
/// loudly instead of embedding garbage.
/// <para>
/// Version 2 adds int8 tensors (<see cref="QuantizedTensors"/>): a table entry with <c>"dtype": "s8"</c> holds
/// its codes at <c>offset</c> and one fp32 scale per output channel at <c>scales_offset</c>. A file without int8
/// tensors is still written as version 1, so older builds read it; version-1 readers refuse a version-2 file by its
/// version number instead of misreading the bytes.
/// </para>
/// </summary>
public sealed class ModelFile
{
    private static ReadOnlySpan<byte> Magic => "FPM1"u8;
    private const int FormatVersion = 1;
    private const int QuantizedFormatVersion = 2;
    private const string Float32 = "f32", Int8 = "s8";
    private const int Alignment = 64;
    private const int MaxHeaderBytes = 16 << 20;
    private const int HashBytes = 32;

    /// <summary>Creates a model file in memory.</summary>
    public ModelFile(string family, JsonObject config, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyList<QuantizedTensor>? quantized = null)
    {
        Family = family;
        Config = config;
        FloatTensors = tensors;
        QuantizedTensors = quantized ?? [];
        foreach (var q in QuantizedTensors) q.Validate();
        var names = tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var q in QuantizedTensors)
            if (!names.Add(q.Name)) throw new ModelFormatException($"tensor '{q.Name}' is stored both as fp32 and as int8");
        Tensors = QuantizedTensors.Count == 0 ? tensors : [.. tensors, .. QuantizedTensors.Select(q => q.Dequantize())];
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Model family, which names the definition that builds it (e.g. "mobilefacenet").</summary>
    public string Family { get; }

    /// <summary>The family's configuration (widths, depths, sizes).</summary>
    public JsonObject Config { get; }

    /// <summary>Every parameter in canonical layout as fp32 (int8 tensors dequantized), which is what model definitions build from.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The parameters stored as fp32.</summary>
    public IReadOnlyList<NamedTensor> FloatTensors { get; }

    /// <summary>The parameters stored as int8 codes with per-output-channel scales (empty for an fp32 file).</summary>
    public IReadOnlyList<QuantizedTensor> QuantizedTensors { get; }

    /// <summary>Free-form provenance (source file, its SHA-256, converter version).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the file atomically (temp file, then rename) so a crash never leaves half a model.</summary>
    public void Save(string path)
    {
        var data = new MemoryStream();
        var table = new JsonArray();
        foreach (var t in FloatTensors)
        {
            Pad(data);
            table.Add(new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["offset"] = data.Length,
            });
            data.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
        }
        foreach (var q in QuantizedTensors)
        {
            Pad(data);
            long offset = data.Length;
            data.Write(MemoryMarshal.AsBytes(q.Codes.AsSpan()));
            Pad(data);
            table.Add(new JsonObject
            {
                ["name"] = q.Name,
                ["dtype"] = Int8,
                ["shape"] = new JsonArray(q.Shape.Select(d => (JsonNode)d).ToArray()),
                ["offset"] = offset,
                ["scales_offset"] = data.Length,
                ["scale_count"] = q.Scales.Length,
            });
            data.Write(MemoryMarshal.AsBytes(q.Scales.AsSpan()));
        }
        byte[] payload = data.ToArray();
        var header = new JsonObject
        {
            ["family"] = Family,
            ["config"] = Config.DeepClone(),
            ["metadata"] = new JsonObject(Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["tensors"] = table,
            ["data_bytes"] = payload.Length,
            ["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(payload)),
        };
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> prefix = stackalloc byte[12];
            Magic.CopyTo(prefix);
            BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], QuantizedTensors.Count == 0 ? FormatVersion : QuantizedFormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(prefix[8..], headerBytes.Length);
            file.Write(prefix);
            file.Write(headerBytes);
            file.Write(SHA256.HashData(headerBytes));
            file.Write(new byte[PadLength(12 + headerBytes.Length + HashBytes)]);
            file.Write(payload);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads and fully validates a model file.</summary>
    public static ModelFile Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"model file not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a model file held in memory.</summary>
    public static ModelFile Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) throw new ModelFormatException("empty file, not a Faceprint model file (magic FPM1 missing)");
        if (bytes.Length >= 4 && !bytes[..4].SequenceEqual(Magic) || bytes.Length < 4 && !Magic[..bytes.Length].SequenceEqual(bytes))
            throw new ModelFormatException("not a Faceprint model file (magic FPM1 missing)");
        if (bytes.Length < 12) throw new ModelFormatException($"truncated model file ({bytes.Length} bytes)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version is not (FormatVersion or QuantizedFormatVersion))
            throw new ModelFormatException($"unsupported model format version {version} (this build reads {FormatVersion} and {QuantizedFormatVersion}); a newer Faceprint wrote it");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 12L + headerLength + HashBytes > bytes.Length)
            throw new ModelFormatException("truncated model file (header runs past the end)");
        var headerBytes = bytes.Slice(12, headerLength);
        if (!SHA256.HashData(headerBytes).AsSpan().SequenceEqual(bytes.Slice(12 + headerLength, HashBytes)))
            throw new ModelFormatException("corrupt model file: header checksum mismatch");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new ModelFormatException("model header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"corrupt model header: {e.Message.Split('\n')[0]}", e);
        }
        int dataStart = 12 + headerLength + HashBytes + PadLength(12 + headerLength + HashBytes);
        long dataBytes = Required<long>(header, "data_bytes");
        if (dataBytes < 0 || dataStart + dataBytes > bytes.Length)
            throw new ModelFormatException($"truncated model file: {bytes.Length} bytes, header promises {dataStart + dataBytes}");
        if (dataStart + dataBytes < bytes.Length)
            throw new ModelFormatException($"model file has {bytes.Length - dataStart - dataBytes} unexpected trailing bytes");
        var data = bytes.Slice(dataStart, (int)dataBytes);
        string expectedHash = Required<string>(header, "data_sha256");
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), expectedHash, StringComparison.Ordinal))
            throw new ModelFormatException("corrupt model file: weight data checksum mismatch");

        var tensors = new List<NamedTensor>();
        var quantized = new List<QuantizedTensor>();
        var table = header["tensors"] as JsonArray ?? throw new ModelFormatException("header lacks a 'tensors' array");
        foreach (var node in table)
        {
            var entry = node as JsonObject ?? throw new ModelFormatException("a tensor entry is not a JSON object");
            string name = Required<string>(entry, "name");
            int[] shape = Required<int[]>(entry, "shape");
            long offset = Required<long>(entry, "offset");
            long count = NamedTensor.Count(shape);
            string dtype = entry["dtype"] is null ? Float32 : Required<string>(entry, "dtype");
            if (dtype == Int8 && version == QuantizedFormatVersion)
            {
                quantized.Add(ReadQuantized(entry, name, shape, offset, data));
                continue;
            }
            if (dtype != Float32) throw new ModelFormatException($"tensor '{name}' has unknown dtype '{dtype}' for format version {version}");
            if (shape.Any(d => d < 0) || offset < 0 || offset % Alignment != 0 || offset + count * 4 > data.Length)
                throw new ModelFormatException($"tensor '{name}' lies outside the data section or is misaligned");
            tensors.Add(new NamedTensor(name, shape, MemoryMarshal.Cast<byte, float>(data.Slice((int)offset, (int)count * 4)).ToArray()));
        }
        var metadata = new Dictionary<string, string>();
        if (header["metadata"] is JsonObject meta)
            foreach (var kv in meta) metadata[kv.Key] = kv.Value?.ToString() ?? "";
        var config = header["config"] switch
        {
            null => [],
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new ModelFormatException("header field 'config' is not a JSON object"),
        };
        return new ModelFile(Required<string>(header, "family"), config, tensors, metadata, quantized);
    }

    private static QuantizedTensor ReadQuantized(JsonObject entry, string name, int[] shape, long offset, ReadOnlySpan<byte> data)
    {
        long scalesOffset = Required<long>(entry, "scales_offset");
        if (shape.Length == 0 || shape.Any(d => d <= 0)) throw new ModelFormatException($"int8 tensor '{name}' has invalid shape {NamedTensor.Format(shape)}");
        long count = NamedTensor.Count(shape), channels = Required<long>(entry, "scale_count");
        if (channels != shape[0]) throw new ModelFormatException($"int8 tensor '{name}' has {channels} scales for {shape[0]} output channels");
        if (offset < 0 || offset % Alignment != 0 || offset + count > data.Length)
            throw new ModelFormatException($"int8 tensor '{name}' codes lie outside the data section or are misaligned");
        if (scalesOffset < offset + count || scalesOffset % Alignment != 0 || scalesOffset + channels * 4 > data.Length)
            throw new ModelFormatException($"int8 tensor '{name}' scales ({channels}) lie outside the data section, overlap its codes or are misaligned");
        var codes = MemoryMarshal.Cast<byte, sbyte>(data.Slice((int)offset, (int)count)).ToArray();
        var scales = MemoryMarshal.Cast<byte, float>(data.Slice((int)scalesOffset, (int)channels * 4)).ToArray();
        var tensor = new QuantizedTensor(name, shape, codes, scales);
        tensor.Validate();
        return tensor;
    }

    private static T Required<T>(JsonObject o, string key)
    {
        try
        {
            return o[key] is { } v ? v.Deserialize<T>() ?? throw new ModelFormatException($"header field '{key}' is null")
                : throw new ModelFormatException($"header lacks '{key}'");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw new ModelFormatException($"header field '{key}' has the wrong type", e);
        }
    }

    private static int PadLength(long length) => (int)((Alignment - length % Alignment) % Alignment);

    private static void Pad(MemoryStream s) => s.Write(new byte[PadLength(s.Length)]);
}
