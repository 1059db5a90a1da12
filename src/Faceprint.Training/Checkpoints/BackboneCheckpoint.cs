using System.Text.Json;
using System.Text.Json.Nodes;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;
using Faceprint.Import.Safetensors;
using Faceprint.Models;
using Faceprint.Training.Models;

namespace Faceprint.Training.Checkpoints;

/// <summary>
/// A trained backbone on disk, portable beyond this trainer (unlike a resumable training state): its state_dict (see <see cref="StateDict"/>) plus the family and engine configuration
/// that describe it. A <c>.safetensors</c> file carries the description in its <c>__metadata__</c>
/// (<see cref="FamilyKey"/>, <see cref="ConfigKey"/>); any other name is written as a PyTorch zip checkpoint that
/// <c>torch.load</c> reads, with the description in a JSON sidecar <c>NAME.json</c> (<c>{"family", "config", "notes"}</c>).
/// <see cref="Notes"/> carry what a trainer wants to keep with the weights (epoch, step, loss) as strings.
/// </summary>
public sealed class BackboneCheckpoint
{
    /// <summary>safetensors metadata key holding the family name.</summary>
    public const string FamilyKey = "faceprint.family";

    /// <summary>safetensors metadata key holding the configuration JSON.</summary>
    public const string ConfigKey = "faceprint.config";

    /// <summary>The backbone's file in a trainer's checkpoint folder (TorchSharp's <c>Module.save</c> format).</summary>
    public const string TorchSharpBackboneFile = "backbone.dat";

    /// <summary>The self-describing copy of the backbone a trainer's checkpoint folder also holds (safetensors with metadata).</summary>
    public const string PortableBackboneFile = "backbone.safetensors";

    /// <summary>Wraps tensors with the description of the network they belong to.</summary>
    public BackboneCheckpoint(string family, JsonObject config, TensorDictionary tensors, IReadOnlyDictionary<string, string>? notes = null)
    {
        Family = family;
        Config = config;
        Tensors = tensors;
        Notes = notes ?? new Dictionary<string, string>();
        if (Notes.ContainsKey(FamilyKey) || Notes.ContainsKey(ConfigKey))
            throw new ArgumentException($"notes may not use the reserved keys {FamilyKey} and {ConfigKey}", nameof(notes));
    }

    /// <summary>The engine family (<c>facelivt</c>, <c>vit</c>, <c>mobilefacenet</c>).</summary>
    public string Family { get; }

    /// <summary>The engine configuration of the network.</summary>
    public JsonObject Config { get; }

    /// <summary>The state_dict tensors.</summary>
    public TensorDictionary Tensors { get; }

    /// <summary>Free-form training notes kept with the weights.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; }

    /// <summary>The current state of <paramref name="model"/>, with optional <paramref name="notes"/>.</summary>
    public static BackboneCheckpoint Of(FaceBackbone model, IReadOnlyDictionary<string, string>? notes = null) =>
        new(model.Family, model.Config, new TensorDictionary(StateDict.Export(model)), notes);

    /// <summary>Writes <paramref name="model"/>'s state to <paramref name="path"/> (format by extension, see the type).</summary>
    public static void Save(FaceBackbone model, string path, IReadOnlyDictionary<string, string>? notes = null) => Of(model, notes).Save(path);

    /// <summary>Writes the checkpoint to <paramref name="path"/> (format by extension, see the type); each file atomically.</summary>
    public void Save(string path)
    {
        if (IsSafetensors(path))
        {
            var metadata = new Dictionary<string, string>(Notes) { [FamilyKey] = Family, [ConfigKey] = Config.ToJsonString() };
            SafetensorsWriter.Write(path, Tensors.Tensors, metadata);
            return;
        }
        PyTorchCheckpointWriter.Write(path, Tensors.Tensors);
        var sidecar = new JsonObject
        {
            ["family"] = Family,
            ["config"] = Config.DeepClone(),
            ["notes"] = new JsonObject(Notes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        // Temp file then rename, as the tensor file, so a crash never pairs weights with a half-written description.
        string target = SidecarPath(path), temp = target + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, sidecar.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>
    /// Reads a checkpoint. Its description comes from <paramref name="describedAs"/> when given (needed for a plain
    /// PyTorch state_dict, e.g. one saved by the reference training code), else from the safetensors metadata or the
    /// JSON sidecar; without any of them this is a <see cref="ModelFormatException"/>. A TorchSharp module file
    /// (<c>Module.save</c>, <c>*.dat</c>) is read too, given <paramref name="describedAs"/>; so is a trainer's checkpoint
    /// folder, through its <see cref="PortableBackboneFile"/> (or, given <paramref name="describedAs"/>, its
    /// <see cref="TorchSharpBackboneFile"/>).
    /// </summary>
    public static BackboneCheckpoint Load(string path, ModelBlueprint? describedAs = null)
    {
        path = SourceFile(path);
        if (IsTorchSharpModuleFile(path)) return LoadTorchSharp(path, describedAs);
        var tensors = CheckpointReader.Read(path);
        if (describedAs is not null) return new BackboneCheckpoint(describedAs.Family, describedAs.Config, tensors);
        if (tensors.Metadata.TryGetValue(FamilyKey, out var family) && tensors.Metadata.TryGetValue(ConfigKey, out var config))
            return new BackboneCheckpoint(family, ParseObject(config, path), tensors,
                tensors.Metadata.Where(kv => kv.Key is not (FamilyKey or ConfigKey)).ToDictionary());
        string sidecar = SidecarPath(path);
        if (File.Exists(sidecar))
        {
            var json = ParseObject(File.ReadAllText(sidecar), sidecar);
            if (json["family"] is JsonValue f && f.TryGetValue(out string? name) && json["config"] is JsonObject c)
                return new BackboneCheckpoint(name, (JsonObject)c.DeepClone(), tensors, ReadNotes(json["notes"], sidecar));
            throw new ModelFormatException($"{sidecar}: expected {{\"family\": NAME, \"config\": {{...}}, \"notes\": {{...}}}}");
        }
        throw new ModelFormatException(
            $"{path} does not say which network it holds (no {FamilyKey} metadata, no {Path.GetFileName(sidecar)} sidecar); name a built-in configuration for it");
    }

    /// <summary>
    /// The file a checkpoint path stands for: <paramref name="path"/> itself, or for a folder (a trainer's checkpoint) the
    /// <see cref="PortableBackboneFile"/> inside it, else its <see cref="TorchSharpBackboneFile"/>.
    /// </summary>
    public static string SourceFile(string path)
    {
        if (!Directory.Exists(path)) return path;
        string portable = Path.Combine(path, PortableBackboneFile);
        return File.Exists(portable) ? portable : Path.Combine(path, TorchSharpBackboneFile);
    }

    /// <summary>A freshly built backbone of this family and configuration holding the checkpoint's weights.</summary>
    public FaceBackbone CreateModel()
    {
        var model = FaceBackbones.Create(Family, Config);
        try
        {
            StateDict.Load(model, Tensors);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Where the description of a PyTorch-format checkpoint at <paramref name="path"/> is kept.</summary>
    public static string SidecarPath(string path) => path + ".json";

    private static bool IsTorchSharpModuleFile(string path) => Path.GetExtension(path).Equals(".dat", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads a <c>Module.save</c> file strictly into the described network and takes its state from there.</summary>
    private static BackboneCheckpoint LoadTorchSharp(string file, ModelBlueprint? describedAs)
    {
        if (describedAs is null)
            throw new ModelFormatException($"{file} is a TorchSharp module file, which does not say which network it holds; name a built-in configuration for it");
        if (!File.Exists(file)) throw new ModelFormatException($"checkpoint not found: {file}");
        using var model = FaceBackbones.Create(describedAs);
        try
        {
            model.load(file, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new ModelFormatException($"{file} does not hold a {describedAs.Name} backbone: {e.Message}", e);
        }
        return Of(model);
    }

    private static bool IsSafetensors(string path) => Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sidecar's notes: absent means none; otherwise an object of strings.</summary>
    private static Dictionary<string, string> ReadNotes(JsonNode? notes, string where)
    {
        if (notes is null) return [];
        if (notes is not JsonObject map) throw new ModelFormatException($"{where}: \"notes\" must be an object of strings");
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in map)
        {
            if (value is not JsonValue v || !v.TryGetValue(out string? text))
                throw new ModelFormatException($"{where}: note \"{key}\" is not a string");
            result[key] = text;
        }
        return result;
    }

    private static JsonObject ParseObject(string json, string where)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new ModelFormatException($"{where}: the description is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{where}: bad description JSON: {e.Message.Split('\n')[0]}", e);
        }
    }
}
