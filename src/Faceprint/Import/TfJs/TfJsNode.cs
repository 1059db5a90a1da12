using System.Text;
using System.Text.Json.Nodes;

namespace Faceprint.Import.TfJs;

/// <summary>
/// One node of a TF.js graph model's <c>modelTopology.node</c> list: its name, op, the names of the nodes it reads
/// (TensorFlow's <c>name:index</c> suffix and <c>^control</c> inputs already resolved) and its raw attributes.
/// </summary>
public sealed record TfJsNode(string Name, string Op, IReadOnlyList<string> Inputs, JsonObject Attributes)
{
    /// <summary>A string attribute (TF.js stores them base64-encoded), or null when absent.</summary>
    public string? String(string key) =>
        Attributes[key]?["s"]?.GetValue<string>() is { } s ? Encoding.UTF8.GetString(Convert.FromBase64String(s)) : null;

    /// <summary>A list-of-strings attribute (e.g. <c>fused_ops</c>), empty when absent.</summary>
    public IReadOnlyList<string> Strings(string key) =>
        Attributes[key]?["list"]?["s"] is JsonArray items
            ? [.. items.Select(i => Encoding.UTF8.GetString(Convert.FromBase64String(i!.GetValue<string>())))]
            : [];

    /// <summary>A list-of-integers attribute (strides, dilations, squeeze_dims), or null when absent.</summary>
    public int[]? Ints(string key) =>
        Attributes[key]?["list"] is JsonObject list
            ? list["i"] is JsonArray items ? [.. items.Select(i => ParseInt(i!))] : []
            : null;

    /// <summary>A boolean attribute, <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string key, bool fallback = false) => Attributes[key]?["b"]?.GetValue<bool>() ?? fallback;

    /// <summary>A float attribute (e.g. <c>epsilon</c>), <paramref name="fallback"/> when absent.</summary>
    public float Float(string key, float fallback = 0f) => Attributes[key]?["f"] is { } f ? (float)ParseDouble(f) : fallback;

    // Protobuf's JSON mapping writes 64-bit integers as strings and special floats as strings; accept both spellings.
    private int ParseInt(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? int.TryParse(node.GetValue<string>(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ModelFormatException($"node '{Name}': '{node.GetValue<string>()}' is not an integer")
        : node.GetValue<int>();

    private static double ParseDouble(JsonNode node) => node.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? double.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
        : node.GetValue<double>();
}
