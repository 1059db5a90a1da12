using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Weights;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// What makes an fp32 model file run in int8: the calibrated input parameters of each quantized layer (by layer name;
/// per tensor, or per channel for depthwise convs in <see cref="ChannelInputs"/>), the layers kept in fp32, and how
/// calibration was done. Stored as versioned JSON in the model file's metadata under
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
    /// Newest version of the JSON layout this build reads and writes: 3 adds <c>channel_inputs</c> (depthwise convs whose
    /// input is quantized per channel). A plan without per-channel inputs is written as version 2 (depthwise convs, GDConv
    /// included, among the quantized layers), which older builds read; version 1 (1×1 convs only, same fields) is still
    /// read. Builds that know only versions 1 and 2 refuse version 3.
    /// </summary>
    public const int FormatVersion = 3;

    private const int OldestVersion = 1, PerChannelVersion = 3;

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<QuantParams>> NoChannelInputs = new Dictionary<string, IReadOnlyList<QuantParams>>();

    /// <summary>
    /// Depthwise convs (by layer name) whose input is quantized per channel: one scale and zero point per input channel,
    /// in channel order. A layer is named here or in <see cref="QuantizationPlan.Inputs"/>, not both.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<QuantParams>> ChannelInputs { get; init; } = NoChannelInputs;

    /// <summary>The plan <paramref name="file"/> carries, or null for a plain fp32 file; throws on a malformed plan.</summary>
    public static QuantizationPlan? FromModelFile(ModelFile file) =>
        file.Metadata.TryGetValue(MetadataKey, out var json) ? Parse(json) : null;

    /// <summary>
    /// The int8 network for <paramref name="network"/> under this plan; <paramref name="storedWeights"/> (by layer name)
    /// are weights the model file already holds in int8, packed as they are.
    /// </summary>
    public Network Apply(Network network, IReadOnlyDictionary<string, QuantizedTensor>? storedWeights = null)
    {
        var quantizable = network.Optimized.Layers.Where(NetworkQuantizer.CanQuantize).ToDictionary(l => l.Name);
        foreach (var name in Inputs.Keys.Concat(KeepFp32).Concat(ChannelInputs.Keys))
            if (!quantizable.ContainsKey(name)) throw new ModelFormatException($"quantization plan names layer '{name}', which the network has no quantizable layer for");
        foreach (var (name, channels) in ChannelInputs)
        {
            if (quantizable[name] is not DepthwiseConv2dLayer dw)
                throw new ModelFormatException($"quantization plan quantizes the input of layer '{name}' per channel, which only depthwise convs take");
            if (channels.Count != dw.Channels)
                throw new ModelFormatException($"quantization plan gives layer '{name}' {channels.Count} channel quantizations, the layer has {dw.Channels} channels");
        }
        return NetworkQuantizer.Quantize(network, Inputs, KeepFp32.ToHashSet(), storedWeights: storedWeights, channelInputs: ChannelInputs);
    }

    /// <summary>The plan as the JSON stored in model files (compact), or indented for a plan kept as a file of its own.</summary>
    public string ToJson(bool indented = false)
    {
        var layers = new JsonObject();
        foreach (var (name, q) in Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            layers[name] = new JsonObject { ["scale"] = q.Scale, ["zero_point"] = q.ZeroPoint };
        var root = new JsonObject
        {
            ["version"] = ChannelInputs.Count > 0 ? PerChannelVersion : PerChannelVersion - 1,
            ["method"] = Method.ToString(),
            ["calibration_images"] = CalibrationImages,
            ["inputs"] = layers,
            ["keep_fp32"] = new JsonArray(KeepFp32.Select(n => (JsonNode)n).ToArray()),
        };
        if (ChannelInputs.Count > 0)
        {
            var channelLayers = new JsonObject();
            foreach (var (name, channels) in ChannelInputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                channelLayers[name] = new JsonObject
                {
                    ["scales"] = new JsonArray(channels.Select(q => (JsonNode)q.Scale).ToArray()),
                    ["zero_points"] = new JsonArray(channels.Select(q => (JsonNode)q.ZeroPoint).ToArray()),
                };
            root["channel_inputs"] = channelLayers;
        }
        return root.ToJsonString(indented ? IndentedJson : null);
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
        var channelInputs = ParseChannelInputs(root, version);
        foreach (var name in channelInputs.Keys)
            if (inputs.ContainsKey(name)) throw new ModelFormatException($"quantization plan: layer '{name}' is quantized both per tensor and per channel");
        if (inputs.Count + channelInputs.Count == 0) throw new ModelFormatException("quantization plan quantizes no layer");
        var keep = root["keep_fp32"] as JsonArray ?? throw new ModelFormatException("quantization plan lacks a 'keep_fp32' array");
        var kept = new List<string>();
        foreach (var node in keep)
        {
            string name = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ModelFormatException("quantization plan: keep_fp32 holds a non-string");
            if (inputs.ContainsKey(name) || channelInputs.ContainsKey(name)) throw new ModelFormatException($"quantization plan: layer '{name}' is both quantized and kept fp32");
            kept.Add(name);
        }
        return new QuantizationPlan(method, images, inputs, kept) { ChannelInputs = channelInputs };
    }

    /// <summary>Version 3's <c>channel_inputs</c>: by layer name, equally long non-empty <c>scales</c> and <c>zero_points</c> arrays.</summary>
    private static Dictionary<string, IReadOnlyList<QuantParams>> ParseChannelInputs(JsonObject root, int version)
    {
        var result = new Dictionary<string, IReadOnlyList<QuantParams>>(StringComparer.Ordinal);
        var node = root["channel_inputs"];
        if (version < PerChannelVersion)
        {
            if (node is not null) throw new ModelFormatException($"quantization plan version {version} cannot hold 'channel_inputs' (version {PerChannelVersion} and later)");
            return result;
        }
        var layers = node as JsonObject ?? throw new ModelFormatException("quantization plan lacks a 'channel_inputs' object");
        foreach (var (name, entryNode) in layers)
        {
            var entry = entryNode as JsonObject ?? throw new ModelFormatException($"quantization plan: channel entry '{name}' is not an object");
            var scales = Array<float>(entry, "scales", name);
            var zeros = Array<int>(entry, "zero_points", name);
            if (scales.Length == 0 || scales.Length != zeros.Length)
                throw new ModelFormatException($"quantization plan: layer '{name}' has {scales.Length} channel scales and {zeros.Length} zero points");
            var channels = new QuantParams[scales.Length];
            for (int c = 0; c < channels.Length; c++)
            {
                channels[c] = new QuantParams(scales[c], zeros[c]);
                channels[c].Validate($"quantization plan layer '{name}' channel {c}");
            }
            result[name] = channels;
        }
        return result;
    }

    private static T[] Array<T>(JsonObject o, string key, string owner)
    {
        if (o[key] is not JsonArray array) throw new ModelFormatException($"quantization plan lacks array '{key}' of layer '{owner}'");
        var values = new T[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue value) throw new ModelFormatException($"quantization plan array '{key}' of layer '{owner}' holds a non-number");
            try
            {
                values[i] = value.GetValue<T>();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new ModelFormatException($"quantization plan array '{key}' of layer '{owner}' has the wrong type at {i}", e);
            }
        }
        return values;
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
