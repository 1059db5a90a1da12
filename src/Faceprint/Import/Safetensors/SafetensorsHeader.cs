using System.Text.Json;
using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Import.Safetensors;

/// <summary>
/// The JSON header of a safetensors file: <c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …,
/// "__metadata__": {string: string}}</c>. Parsing is strict: known fields only, sizes that match dtype × shape, and
/// offsets that tile the data section exactly (in bounds, no overlap, no gap, nothing left over).
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The key of the free-form metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Upper bound on the header length, as the reference implementation sets it.</summary>
    public const long MaxLength = 100_000_000;

    private static readonly (string Name, TensorElementType Type)[] DTypes =
    [
        ("F32", TensorElementType.Float32), ("F16", TensorElementType.Float16), ("BF16", TensorElementType.BFloat16),
        ("F64", TensorElementType.Float64), ("I64", TensorElementType.Int64), ("I32", TensorElementType.Int32),
    ];

    private SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The dtype name safetensors uses for <paramref name="type"/>.</summary>
    public static string DTypeName(TensorElementType type) => DTypes.First(d => d.Type == type).Name;

    /// <summary>Parses and validates a header against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength)
    {
        if (json.IsEmpty || json[0] != (byte)'{') throw Error("header does not start with '{'");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw Error($"header is not valid JSON: {e.Message.Split('\n')[0]}", e);
        }
        using (document)
        {
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Error($"header lists '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata);
                else entries.Add(ReadEntry(property.Name, property.Value));
            }
            CheckLayout(entries, dataLength);
            return new SafetensorsHeader(entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error($"'{MetadataKey}' is not an object");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw Error($"metadata '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error($"tensor '{name}' is not an object");
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String: dtype = field.Value.GetString(); break;
                case "shape": shape = Integers(field.Value, name, "shape", int.MaxValue).Select(v => (int)v).ToArray(); break;
                case "data_offsets": offsets = Integers(field.Value, name, "data_offsets", long.MaxValue); break;
                default: throw Error($"tensor '{name}' has an unexpected or malformed field '{field.Name}'");
            }
        }
        if (dtype is null || shape is null || offsets is null) throw Error($"tensor '{name}' lacks dtype, shape or data_offsets");
        var type = DTypes.FirstOrDefault(d => d.Name == dtype);
        if (type.Name is null) throw Error($"tensor '{name}' has unsupported dtype {dtype} (supported: {string.Join(", ", DTypes.Select(d => d.Name))})");
        if (offsets is not [long begin, long end] || end < begin) throw Error($"tensor '{name}' has invalid data_offsets");
        long count = 1;
        foreach (int d in shape) count = count * d > Array.MaxLength ? long.MaxValue : count * d;
        if (count > Array.MaxLength) throw Error($"tensor '{name}' is too large {NamedTensor.Format(shape)}");
        if (end - begin != count * TensorElementCodec.Size(type.Type))
            throw Error($"tensor '{name}' spans {end - begin} bytes, but {dtype}{NamedTensor.Format(shape)} needs {count * TensorElementCodec.Size(type.Type)}");
        return new SafetensorsEntry(name, type.Type, shape, begin, end);
    }

    private static long[] Integers(JsonElement value, string name, string field, long max)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var result = new long[value.GetArrayLength()];
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0 || v > max) break;
                result[i++] = v;
            }
            if (i == result.Length) return result;
        }
        throw Error($"tensor '{name}' has an invalid {field} (expected an array of non-negative integers)");
    }

    private static void CheckLayout(List<SafetensorsEntry> entries, long dataLength)
    {
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.End > dataLength) throw Error($"tensor '{e.Name}' ends at byte {e.End}, past the {dataLength}-byte data section");
            if (e.Begin < covered) throw Error($"tensors '{previous!.Name}' and '{e.Name}' overlap");
            if (e.Begin > covered) throw Error($"{e.Begin - covered} unused bytes before tensor '{e.Name}'");
            covered = e.End;
            previous = e;
        }
        if (covered != dataLength) throw Error($"{dataLength - covered} bytes of the data section belong to no tensor");
    }

    private static ModelFormatException Error(string message, Exception? inner = null) =>
        inner is null ? new($"safetensors: {message}") : new($"safetensors: {message}", inner);
}
