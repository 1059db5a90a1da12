using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Vit;
using Faceprint.Training.Models.FaceLiVT;
using Faceprint.Training.Models.MobileFaceNet;
using Faceprint.Training.Models.Vit;

namespace Faceprint.Training.Models;

/// <summary>Creates the trainable network a family name and engine configuration describe.</summary>
public static class FaceBackbones
{
    /// <summary>Families that can be trained.</summary>
    public static IReadOnlyList<string> Families { get; } = [FaceLiVTDefinition.Family, VitDefinition.Family, MobileFaceNetDefinition.Family];

    /// <summary>
    /// The built-in configurations that can be trained, by their engine names (<c>facelivt-s-la</c>, <c>vit-t</c>,
    /// <c>facex-nano</c>, …): all but the TFLite export's MobileFaceNet, whose extra convs EFM3 cannot hold.
    /// </summary>
    public static IReadOnlyList<string> TrainableNames { get; } =
        [.. BuiltInModels.All.Where(m => m.Family != MobileFaceNetDefinition.Family || FitsEfm3(m)).Select(m => m.Name)];

    /// <summary>
    /// The network for <paramref name="family"/> with <paramref name="config"/> as the engine's model files store it
    /// (freshly initialised). Throws <see cref="ModelFormatException"/> for an unknown family or a bad configuration.
    /// </summary>
    public static FaceBackbone Create(string family, JsonObject config)
    {
        var file = new ModelFile(family, config, []);
        return family switch
        {
            FaceLiVTDefinition.Family => new FaceLiVTModule(ModelFamilies.ReadConfig<FaceLiVTConfig>(file)),
            VitDefinition.Family => new VitModule(ModelFamilies.ReadConfig<VitConfig>(file)),
            MobileFaceNetDefinition.Family => CreateMobileFaceNet(ModelFamilies.ReadConfig<MobileFaceNetConfig>(file)),
            _ => throw new ModelFormatException($"family '{family}' cannot be trained (trainable: {string.Join(", ", Families)})"),
        };
    }

    /// <summary>The network of a built-in configuration (e.g. <c>facelivt-s-la</c>, <c>facex-nano</c>).</summary>
    public static FaceBackbone Create(ModelBlueprint blueprint) => Create(blueprint.Family, blueprint.Config);

    /// <summary>
    /// The network of built-in configuration <paramref name="name"/> (case-insensitive; <c>_</c> and <c>-</c> alike, so
    /// <c>facelivt_s_la</c> works in a training config) with the embedding length and input side a training run asks for.
    /// </summary>
    public static FaceBackbone Create(string name, int embeddingSize, int inputSize)
    {
        var blueprint = BuiltInModels.Find(name.Replace('_', '-'))
            ?? throw new ModelFormatException($"unknown network '{name}' (trainable: {string.Join(", ", TrainableNames)})");
        var config = (JsonObject)blueprint.Config.DeepClone();
        config["embedding_size"] = embeddingSize;
        config["input_size"] = inputSize;
        return Create(blueprint.Family, config);
    }

    private static bool FitsEfm3(ModelBlueprint blueprint)
    {
        try
        {
            _ = Efm3Header.FromConfig(ModelFamilies.ReadConfig<MobileFaceNetConfig>(new ModelFile(blueprint.Family, blueprint.Config, [])));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static MobileFaceNetModule CreateMobileFaceNet(MobileFaceNetConfig config)
    {
        try
        {
            return new MobileFaceNetModule(config);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(e.Message, e);
        }
    }
}
