using System.Globalization;
using System.Text.Json;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Models;
using Faceprint.Training.Heads;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Trainer;

/// <summary>
/// A resumable training checkpoint: a folder with the backbone (<c>backbone.dat</c>, TorchSharp's format, plus for the
/// engine's networks <c>backbone.safetensors</c>, which names its family and configuration), the class
/// centres (<c>head.dat</c>), the optimizer state (<c>optimizer.dat</c>) and <see cref="TrainerState"/> (<c>state.json</c>).
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>File name of the backbone weights inside a checkpoint folder.</summary>
    public const string BackboneFile = "backbone.dat";

    private const string HeadFile = "head.dat", OptimizerFile = "optimizer.dat", StateFile = "state.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes a checkpoint to <paramref name="folder"/>, replacing any there only once the new one is complete.</summary>
    public static void Save(string folder, nn.Module backbone, PartialFC head, OptimizerHelper optimizer, TrainerState state)
    {
        string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        string temp = full + ".tmp", old = full + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        backbone.save(Path.Combine(temp, BackboneFile));
        // The engine's networks also get a self-describing copy, so `faceprint export FOLDER` needs no --model.
        if (backbone is FaceBackbone described)
            BackboneCheckpoint.Save(described, Path.Combine(temp, BackboneCheckpoint.PortableBackboneFile),
                new Dictionary<string, string> { ["epoch"] = state.Epoch.ToString(CultureInfo.InvariantCulture), ["step"] = state.Step.ToString(CultureInfo.InvariantCulture) });
        head.save(Path.Combine(temp, HeadFile));
        optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
        // Swap folders so a crash mid-save leaves the previous checkpoint intact.
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(temp, full);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    /// <summary>Loads a checkpoint into existing modules and optimizer (built with the same configuration) and returns its state.</summary>
    /// <exception cref="FaceprintException">The folder is not a complete checkpoint or does not fit the modules.</exception>
    public static TrainerState Load(string folder, nn.Module backbone, PartialFC head, OptimizerHelper optimizer)
    {
        foreach (var file in new[] { BackboneFile, HeadFile, OptimizerFile, StateFile })
            if (!File.Exists(Path.Combine(folder, file)))
                throw new FaceprintException($"checkpoint {folder} is incomplete: {file} is missing");
        try
        {
            backbone.load(Path.Combine(folder, BackboneFile));
            head.load(Path.Combine(folder, HeadFile));
            optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new FaceprintException($"checkpoint {folder} does not fit this model/head/optimizer: {e.Message}", e);
        }
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(folder, StateFile)), Json)
            ?? throw new FaceprintException($"checkpoint {folder}: empty {StateFile}");
    }
}
