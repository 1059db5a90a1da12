using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Faceprint.Import.TfJs;

/// <summary>
/// Decodes the entries of a TF.js <c>weightsManifest</c> group from the group's concatenated shard bytes, in manifest
/// order: float32 and int32 as stored, and quantised entries (<c>quantization.dtype</c> float16, or uint8/uint16 with
/// <c>scale</c> and <c>min</c>) widened back to float32 as TF.js does (value = q·scale + min).
/// </summary>
internal static class TfJsWeightDecoder
{
    public static void Decode(JsonArray entries, ReadOnlySpan<byte> bytes, string group, Dictionary<string, TfJsTensor> into)
    {
        int offset = 0;
        foreach (var entry in entries)
        {
            if (entry is not JsonObject e) throw new ModelFormatException($"{group}: a weights entry is not an object");
            string name = e["name"]?.GetValue<string>() ?? throw new ModelFormatException($"{group}: a weights entry has no name");
            string dtype = e["dtype"]?.GetValue<string>() ?? throw new ModelFormatException($"{group}: weight '{name}' has no dtype");
            int[] shape = e["shape"] is JsonArray dims
                ? [.. dims.Select(d => d!.GetValue<int>())]
                : throw new ModelFormatException($"{group}: weight '{name}' has no shape");
            if (shape.Any(d => d < 0)) throw new ModelFormatException($"{group}: weight '{name}' has a negative dimension");
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (count > int.MaxValue / 4) throw new ModelFormatException($"{group}: weight '{name}' is too large");
            var quantization = e["quantization"] as JsonObject;
            string stored = quantization?["dtype"]?.GetValue<string>() ?? dtype;
            int width = stored switch
            {
                "float32" or "int32" => 4,
                "float16" or "uint16" => 2,
                "uint8" => 1,
                _ => throw new ModelFormatException($"{group}: weight '{name}' has unsupported dtype '{stored}'"),
            };
            long size = count * width;
            if (offset + size > bytes.Length)
                throw new ModelFormatException($"{group}: the weight files hold {bytes.Length} bytes, but '{name}' needs bytes {offset}..{offset + size} (truncated shard?)");
            var data = bytes.Slice(offset, (int)size);
            offset += (int)size;
            if (!into.TryAdd(name, Tensor(name, shape, dtype, stored, quantization, data, (int)count, group)))
                throw new ModelFormatException($"{group}: weight '{name}' appears twice in the manifest");
        }
        if (offset != bytes.Length)
            throw new ModelFormatException($"{group}: the weight files hold {bytes.Length} bytes but the manifest describes {offset}");
    }

    private static TfJsTensor Tensor(string name, int[] shape, string dtype, string stored, JsonObject? quantization, ReadOnlySpan<byte> data, int count, string group)
    {
        if (dtype == "int32")
        {
            if (stored != "int32") throw new ModelFormatException($"{group}: quantised int32 weight '{name}' is not supported");
            var ints = new int[count];
            for (int i = 0; i < count; i++) ints[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]);
            return new TfJsTensor(name, shape, null, ints);
        }
        if (dtype != "float32") throw new ModelFormatException($"{group}: weight '{name}' has unsupported dtype '{dtype}'");
        var floats = new float[count];
        switch (stored)
        {
            case "float32":
                for (int i = 0; i < count; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                break;
            case "float16":
                for (int i = 0; i < count; i++) floats[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                break;
            case "uint8" or "uint16":
                float scale = Required(quantization!, "scale", name, group), min = Required(quantization!, "min", name, group);
                for (int i = 0; i < count; i++)
                {
                    int q = stored == "uint8" ? data[i] : BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]);
                    floats[i] = q * scale + min;
                }
                break;
            default:
                throw new ModelFormatException($"{group}: float weight '{name}' stored as '{stored}' is not supported");
        }
        return new TfJsTensor(name, shape, floats, null);
    }

    private static float Required(JsonObject quantization, string key, string name, string group) =>
        quantization[key]?.GetValue<float>() ?? throw new ModelFormatException($"{group}: quantised weight '{name}' has no '{key}'");
}
