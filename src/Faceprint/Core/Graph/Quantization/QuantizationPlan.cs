using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Weights;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// What makes an fp32 model file run in int8: the calibrated input parameters of each quantized layer (by layer name),
/// the layers kept in fp32, and how calibration was done. Stored as versioned JSON in the model file's metadata under
/// <see cref="MetadataKey"/>. <c>models quantize</c> also stores the quantized layers' weights as int8 tensors
/// (<see cref="ModelFile.QuantizedTensors"/>); a plan-only file with fp32 weights has them quantized (deterministically,
/// symmetric per output channel, to the same codes) when the network is built.
/// </summary>
public sealed record QuantizationPlan(CalibrationMethod Method, int CalibrationImages, IReadOnlyDictionary<string, QuantParams> Inputs,
    IReadOnlyList<string> KeepFp32)
{
    /// <summary>The model file metadata entry holding the plan.</summary>
    public const string MetadataKey = "quantization";

    /// <summary>
    /// Version of the JSON layout this build writes: 2 may name depthwise convs (GDConv included) among the quantized
    /// layers. Version 1 (1×1 convs only, same fields) is still read; builds that know only version 1 refuse version 2.
    /// </summary>
    public const int FormatVersion = 2;

    private const int OldestVersion = 1;

    /// <summary>The plan <paramref name="file"/> carries, or null for a plain fp32 file; throws on a malformed plan.</summary>
    public static QuantizationPlan? FromModelFile(ModelFile file) =>
        file.Metadata.TryGetValue(MetadataKey, out var json) ? Parse(json) : null;

    /// <summary>
    /// The int8 network for <paramref name="network"/> under this plan; <paramref name="storedWeights"/> (by layer name)
    /// are weights the model file already holds in int8, packed as they are.
    /// </summary>
    public Network Apply(Network network, IReadOnlyDictionary<string, QuantizedTensor>? storedWeights = null)
    {
        var known = network.Optimized.Layers.Where(NetworkQuantizer.CanQuantize).Select(l => l.Name).ToHashSet();
        foreach (var name in Inputs.Keys.Concat(KeepFp32))
            if (!known.Contains(name)) throw new ModelFormatException($"quantization plan names layer '{name}', which the network has no quantizable layer for");
        return NetworkQuantizer.Quantize(network, Inputs, KeepFp32.ToHashSet(), storedWeights: storedWeights);
    }

    /// <summary>The plan as the JSON stored in model files.</summary>
    public string ToJson()
    {
        var layers = new JsonObject();
        foreach (var (name, q) in Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            layers[name] = new JsonObject { ["scale"] = q.Scale, ["zero_point"] = q.ZeroPoint };
        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["method"] = Method.ToString(),
            ["calibration_images"] = CalibrationImages,
            ["inputs"] = layers,
            ["keep_fp32"] = new JsonArray(KeepFp32.Select(n => (JsonNode)n).ToArray()),
        };
        return root.ToJsonString();
    }

    /// <summary>Parses and validates a plan; every defect is a <see cref="ModelFormatException"/> saying what is wrong.</summary>
    public static QuantizationPlan Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new ModelFormatException("quantization plan is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"corrupt quantization plan: {e.Message.Split('\n')[0]}", e);
        }
        int version = Get<int>(root, "version");
        if (version is < OldestVersion or > FormatVersion)
            throw new ModelFormatException($"unsupported quantization plan version {version} (this build reads {OldestVersion} to {FormatVersion})");
        string methodName = Get<string>(root, "method");
        if (!Enum.TryParse<CalibrationMethod>(methodName, ignoreCase: false, out var method) || !Enum.IsDefined(method))
            throw new ModelFormatException($"quantization plan: unknown calibration method '{methodName}'");
        int images = Get<int>(root, "calibration_images");
        if (images <= 0) throw new ModelFormatException($"quantization plan: calibration_images {images} is not positive");
        var layers = root["inputs"] as JsonObject ?? throw new ModelFormatException("quantization plan lacks an 'inputs' object");
        var inputs = new Dictionary<string, QuantParams>(StringComparer.Ordinal);
        foreach (var (name, node) in layers)
        {
            var entry = node as JsonObject ?? throw new ModelFormatException($"quantization plan: entry '{name}' is not an object");
            var q = new QuantParams(Get<float>(entry, "scale", name), Get<int>(entry, "zero_point", name));
            q.Validate($"quantization plan layer '{name}'");
            inputs[name] = q;
        }
        if (inputs.Count == 0) throw new ModelFormatException("quantization plan quantizes no layer");
        var keep = root["keep_fp32"] as JsonArray ?? throw new ModelFormatException("quantization plan lacks a 'keep_fp32' array");
        var kept = new List<string>();
        foreach (var node in keep)
        {
            string name = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ModelFormatException("quantization plan: keep_fp32 holds a non-string");
            if (inputs.ContainsKey(name)) throw new ModelFormatException($"quantization plan: layer '{name}' is both quantized and kept fp32");
            kept.Add(name);
        }
        return new QuantizationPlan(method, images, inputs, kept);
    }

    private static T Get<T>(JsonObject o, string key, string? owner = null)
    {
        string where = owner is null ? "" : $" of layer '{owner}'";
        if (o[key] is not JsonValue value) throw new ModelFormatException($"quantization plan lacks field '{key}'{where}");
        try
        {
            return value.GetValue<T>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture, $"quantization plan field '{key}'{where} has the wrong type"), e);
        }
    }
}
