using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faceprint.Import.TfJs;

/// <summary>
/// A TensorFlow.js graph model (<c>model.json</c> with <c>format: graph-model</c>): the nodes of
/// <c>modelTopology.node</c> and the constants its <c>weightsManifest</c> describes, read from the listed shard files
/// (concatenated per group, as TF.js does). Reading is strict: missing fields, unknown dtypes, nodes reading names
/// that do not exist, and shards shorter or longer than the manifest says are errors.
/// </summary>
public sealed class TfJsModel
{
    private readonly Dictionary<string, TfJsNode> _byName;

    private TfJsModel(string name, IReadOnlyList<TfJsNode> nodes, IReadOnlyDictionary<string, TfJsTensor> weights)
    {
        Name = name;
        Nodes = nodes;
        Weights = weights;
        _byName = [];
        foreach (var node in nodes)
            if (!_byName.TryAdd(node.Name, node)) throw new ModelFormatException($"{name}: two nodes are called '{node.Name}'");
        foreach (var node in nodes)
            foreach (string input in node.Inputs)
                if (!_byName.ContainsKey(input)) throw new ModelFormatException($"{name}: node '{node.Name}' reads '{input}', which no node defines");
        foreach (var node in nodes)
            if (node.Op == "Const" && !weights.ContainsKey(node.Name))
                throw new ModelFormatException($"{name}: constant '{node.Name}' has no entry in the weights manifest");
    }

    /// <summary>Name for messages (the JSON file's name without extension).</summary>
    public string Name { get; }

    /// <summary>The graph's nodes in file order.</summary>
    public IReadOnlyList<TfJsNode> Nodes { get; }

    /// <summary>Decoded constants by name.</summary>
    public IReadOnlyDictionary<string, TfJsTensor> Weights { get; }

    /// <summary>The node called <paramref name="name"/>.</summary>
    public TfJsNode Node(string name) =>
        _byName.TryGetValue(StripIndex(name), out var node) ? node : throw new ModelFormatException($"{Name}: no node is called '{name}'");

    /// <summary>Reads <paramref name="jsonPath"/> and the shard files it lists (paths relative to its folder).</summary>
    public static TfJsModel Load(string jsonPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath))!;
        return Parse(File.ReadAllText(jsonPath), shard =>
        {
            // Shard paths are file names beside the JSON; anything reaching elsewhere is refused.
            if (shard.Contains('/') || shard.Contains('\\') || shard is "." or "..")
                throw new ModelFormatException($"{jsonPath}: shard path '{shard}' must be a file beside the model JSON");
            string path = Path.Combine(folder, shard);
            return File.Exists(path) ? File.ReadAllBytes(path) : throw new ModelFormatException($"{jsonPath}: shard '{shard}' is missing");
        }, Path.GetFileNameWithoutExtension(jsonPath));
    }

    /// <summary>Parses model JSON text; <paramref name="readShard"/> returns a shard's bytes by its manifest path.</summary>
    public static TfJsModel Parse(string json, Func<string, byte[]> readShard, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{name}: not valid JSON ({e.Message})");
        }
        if (root is not JsonObject model) throw new ModelFormatException($"{name}: the model JSON is not an object");
        if (model["format"]?.GetValue<string>() is { } format && format != "graph-model")
            throw new ModelFormatException($"{name}: format '{format}' is not a TF.js graph model");
        var nodes = model["modelTopology"]?["node"] as JsonArray ?? throw new ModelFormatException($"{name}: no modelTopology.node list");
        var manifest = model["weightsManifest"] as JsonArray ?? throw new ModelFormatException($"{name}: no weightsManifest");
        try
        {
            var weights = new Dictionary<string, TfJsTensor>();
            for (int g = 0; g < manifest.Count; g++)
            {
                var group = manifest[g] as JsonObject ?? throw new ModelFormatException($"{name}: weightsManifest[{g}] is not an object");
                var paths = group["paths"] as JsonArray ?? throw new ModelFormatException($"{name}: weightsManifest[{g}] has no paths");
                var entries = group["weights"] as JsonArray ?? throw new ModelFormatException($"{name}: weightsManifest[{g}] has no weights");
                using var bytes = new MemoryStream();
                foreach (var path in paths) bytes.Write(readShard(path!.GetValue<string>()));
                TfJsWeightDecoder.Decode(entries, bytes.GetBuffer().AsSpan(0, (int)bytes.Length), $"{name} weightsManifest[{g}]", weights);
            }
            return new TfJsModel(name, [.. nodes.Select(n => ParseNode(n, name))], weights);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // JsonNode.GetValue throws these on a value of the wrong JSON type.
            throw new ModelFormatException($"{name}: malformed model JSON ({e.Message})");
        }
    }

    private static TfJsNode ParseNode(JsonNode? node, string model)
    {
        if (node is not JsonObject o) throw new ModelFormatException($"{model}: a graph node is not an object");
        string name = o["name"]?.GetValue<string>() ?? throw new ModelFormatException($"{model}: a graph node has no name");
        string op = o["op"]?.GetValue<string>() ?? throw new ModelFormatException($"{model}: node '{name}' has no op");
        var inputs = (o["input"] as JsonArray ?? [])
            .Select(i => i!.GetValue<string>())
            .Where(i => !i.StartsWith('^')) // control dependencies order execution only
            .Select(i => StripIndexStrict(i, name, model))
            .ToList();
        return new TfJsNode(name, op, inputs, o["attr"] as JsonObject ?? []);
    }

    /// <summary>"name:0" → "name"; other output indices are refused (the ops translated here have one output).</summary>
    private static string StripIndexStrict(string input, string node, string model)
    {
        int colon = input.LastIndexOf(':');
        if (colon < 0) return input;
        return input[(colon + 1)..] == "0" ? input[..colon] : throw new ModelFormatException($"{model}: node '{node}' reads output '{input}'; only first outputs are supported");
    }

    private static string StripIndex(string name) => name.EndsWith(":0", StringComparison.Ordinal) ? name[..^2] : name;
}
