using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Faceprint.Training.Configuration;

/// <summary>Reads a <see cref="TrainingConfig"/> from JSON (<c>.json</c>) or YAML (<c>.yaml</c>/<c>.yml</c>); unknown keys are errors.</summary>
public static class TrainingConfigFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads, validates and resolves relative paths against the file's folder.</summary>
    /// <exception cref="FaceprintException">The file is missing, malformed, has unknown keys or invalid values.</exception>
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FaceprintException($"training config not found: {path}");
        string text = File.ReadAllText(path);
        TrainingConfig config;
        try
        {
            config = Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml"
                ? new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<TrainingConfig>(text) ?? new TrainingConfig()
                : JsonSerializer.Deserialize<TrainingConfig>(text, Json) ?? new TrainingConfig();
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            throw new FaceprintException($"{path}: {e.Message}", e);
        }
        Validate(config, path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return config with
        {
            Rec = Resolve(folder, config.Rec),
            ImageFolder = Resolve(folder, config.ImageFolder),
            ValPairs = Resolve(folder, config.ValPairs),
            ValRoot = Resolve(folder, config.ValRoot),
            ValBin = Resolve(folder, config.ValBin),
            Output = Resolve(folder, config.Output)!,
            Teacher = config.Teacher is { } t ? t with { Weights = Resolve(folder, t.Weights), EngineModel = Resolve(folder, t.EngineModel) } : null,
        };
    }

    /// <summary>Checks the values a run cannot start without; the message names the offending key.</summary>
    /// <exception cref="FaceprintException">A value is missing or out of range.</exception>
    public static void Validate(TrainingConfig c, string source)
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new FaceprintException($"{source}: {message}");
        }
        Require(!string.IsNullOrWhiteSpace(c.Network), "network is required");
        Require(c.EmbeddingSize > 0, "embedding_size must be positive");
        Require(c.InputSize > 0, "input_size must be positive");
        Require(c.MarginList.Length == 3, "margin_list must hold three numbers (m1, m2, m3)");
        Require(c.MarginList.Length != 3 || (c.MarginList[0] > 0 && c.MarginList[1] is >= 0 and < Math.PI && c.MarginList[2] >= 0), "margin_list needs m1 > 0, 0 <= m2 < pi, m3 >= 0");
        Require(c.Scale > 0, "scale must be positive");
        Require(c.SampleRate is > 0 and <= 1, "sample_rate must lie in (0, 1]");
        Require(c.Optimizer.ToLowerInvariant() is "sgd" or "adamw", $"optimizer must be 'sgd' or 'adamw', got '{c.Optimizer}'");
        Require(c.Schedule.ToLowerInvariant() is "polynomial" or "cosine", $"schedule must be 'polynomial' or 'cosine', got '{c.Schedule}'");
        Require(c.Lr > 0, "lr must be positive");
        Require(c.MinLr >= 0 && c.MinLr <= c.Lr, "min_lr must lie in [0, lr]");
        Require(c.WeightDecay >= 0, "weight_decay must not be negative");
        Require(c.BatchSize > 0, "batch_size must be positive");
        Require(c.NumEpoch > 0, "num_epoch must be positive");
        Require(c.WarmupEpoch >= 0 && c.WarmupEpoch <= c.NumEpoch, "warmup_epoch must lie in [0, num_epoch]");
        Require(c.NumWorkers > 0, "num_workers must be positive");
        Require((c.Rec is null) != (c.ImageFolder is null), "give exactly one of rec and image_folder");
        Require((c.ValPairs is null) == (c.ValRoot is null), "val_pairs and val_root go together");
        Require(c.ValPairs is null || c.ValBin is null, "give val_pairs or val_bin, not both");
        Require(c.LvfaceSwitchEpoch is null || (c.LvfaceSwitchEpoch >= 0 && c.LvfaceSwitchEpoch < c.NumEpoch), "lvface_switch_epoch must lie in [0, num_epoch)");
        Require(c.LvfaceMomentum is >= 0 and <= 1, "lvface_momentum must lie in [0, 1]");
        Require(c.Teacher is null || (c.Teacher.EngineModel is null) == (c.Teacher.Network is not null && c.Teacher.Weights is not null),
            "teacher needs either network and weights, or engine_model");
        Require(c.Teacher is null || c.Teacher.Alpha >= 0, "teacher alpha must not be negative");
    }

    private static string? Resolve(string folder, string? path) => path is null ? null : Path.GetFullPath(path, folder);
}
