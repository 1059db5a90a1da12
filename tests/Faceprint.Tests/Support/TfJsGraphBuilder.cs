using System.Text;
using System.Text.Json.Nodes;
using Faceprint.Import.TfJs;

namespace Faceprint.Tests.Support;

/// <summary>Writes small TF.js graph models in memory (JSON text plus one weight shard) for importer tests.</summary>
internal sealed class TfJsGraphBuilder
{
    private readonly JsonArray _nodes = [];
    private readonly JsonArray _weights = [];
    private readonly MemoryStream _bin = new();

    /// <summary>An NHWC image input.</summary>
    public string Input(string name, int h, int w, int c)
    {
        var dims = new JsonArray(new[] { -1, h, w, c }.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray());
        _nodes.Add(new JsonObject { ["name"] = name, ["op"] = "Placeholder", ["attr"] = new JsonObject { ["shape"] = new JsonObject { ["shape"] = new JsonObject { ["dim"] = dims } } } });
        return name;
    }

    /// <summary>A float32 constant.</summary>
    public string Const(string name, int[] shape, float[] values)
    {
        AddConstNode(name);
        _weights.Add(Entry(name, shape, "float32"));
        foreach (float v in values) _bin.Write(BitConverter.GetBytes(v));
        return name;
    }

    /// <summary>A float constant stored as float16 (TF.js "quantization: float16").</summary>
    public string ConstHalf(string name, int[] shape, float[] values)
    {
        AddConstNode(name);
        var entry = Entry(name, shape, "float32");
        entry["quantization"] = new JsonObject { ["dtype"] = "float16", ["original_dtype"] = "float32" };
        _weights.Add(entry);
        foreach (float v in values) _bin.Write(BitConverter.GetBytes((Half)v));
        return name;
    }

    /// <summary>A float constant stored as uint8 with scale and min.</summary>
    public string ConstUint8(string name, int[] shape, byte[] codes, float scale, float min)
    {
        AddConstNode(name);
        var entry = Entry(name, shape, "float32");
        entry["quantization"] = new JsonObject { ["dtype"] = "uint8", ["scale"] = scale, ["min"] = min, ["original_dtype"] = "float32" };
        _weights.Add(entry);
        _bin.Write(codes);
        return name;
    }

    /// <summary>An int32 constant.</summary>
    public string Ints(string name, int[] shape, int[] values)
    {
        AddConstNode(name);
        _weights.Add(Entry(name, shape, "int32"));
        foreach (int v in values) _bin.Write(BitConverter.GetBytes(v));
        return name;
    }

    /// <summary>A node; attributes in TF.js JSON form (use <see cref="S"/>, <see cref="IntList"/>, <see cref="StringList"/>).</summary>
    public string Node(string name, string op, string[] inputs, JsonObject? attr = null)
    {
        _nodes.Add(new JsonObject { ["name"] = name, ["op"] = op, ["input"] = new JsonArray(inputs.Select(i => (JsonNode)i).ToArray()), ["attr"] = attr ?? [] });
        return name;
    }

    /// <summary>A conv-style node with strides and padding.</summary>
    public string Conv(string name, string op, string[] inputs, int stride, string padding, params string[] fusedOps)
    {
        var attr = new JsonObject { ["strides"] = IntList(1, stride, stride, 1), ["padding"] = S(padding), ["data_format"] = S("NHWC") };
        if (fusedOps.Length > 0) attr["fused_ops"] = StringList(fusedOps);
        return Node(name, op, inputs, attr);
    }

    public static JsonObject S(string value) => new() { ["s"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static JsonObject IntList(params int[] values) =>
        new() { ["list"] = new JsonObject { ["i"] = new JsonArray(values.Select(v => (JsonNode)v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()) } };

    public static JsonObject StringList(params string[] values) =>
        new() { ["list"] = new JsonObject { ["s"] = new JsonArray(values.Select(v => (JsonNode)Convert.ToBase64String(Encoding.UTF8.GetBytes(v))).ToArray()) } };

    /// <summary>The model JSON text.</summary>
    public string Json() => new JsonObject
    {
        ["format"] = "graph-model",
        ["modelTopology"] = new JsonObject { ["node"] = _nodes.DeepClone() },
        ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("model.bin"), ["weights"] = _weights.DeepClone() }),
    }.ToJsonString();

    /// <summary>The weight shard.</summary>
    public byte[] Bin() => _bin.ToArray();

    /// <summary>Parses what was built, with the shard as given (default: complete).</summary>
    public TfJsModel Build(byte[]? shard = null) => TfJsModel.Parse(Json(), _ => shard ?? Bin(), "test");

    private void AddConstNode(string name) =>
        _nodes.Add(new JsonObject { ["name"] = name, ["op"] = "Const", ["attr"] = new JsonObject { ["dtype"] = new JsonObject { ["type"] = "DT_FLOAT" } } });

    private static JsonObject Entry(string name, int[] shape, string dtype) =>
        new() { ["name"] = name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = dtype };
}
