using System.Text.Json.Nodes;
using Faceprint.Core.Weights;
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
