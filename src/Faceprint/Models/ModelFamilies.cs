using System.Text.Json;
using System.Text.Json.Nodes;
using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Mtcnn;
using Faceprint.Models.Vit;
using Faceprint.Preprocessing;

namespace Faceprint.Models;

/// <summary>Maps a model file's family to the definition that builds it, and configs to and from JSON.</summary>
public static class ModelFamilies
{
    /// <summary>
    /// Builds the network a model file describes. Families stored in train form (FaceLiVT, ViT) are structurally
    /// reparameterized at load unless <paramref name="reparameterize"/> is false; the others are stored deploy-ready.
    /// </summary>
    public static Network Build(ModelFile file, bool reparameterize = true) => file.Family switch
    {
        MobileFaceNetDefinition.Family => MobileFaceNetDefinition.Build(ReadConfig<MobileFaceNetConfig>(file), new WeightSet(file.Tensors)),
        CascadeNetDefinition.Family => CascadeNetDefinition.Build(ReadConfig<CascadeNetConfig>(file), new WeightSet(file.Tensors)),
        FaceLiVTDefinition.Family => FaceLiVTDefinition.Build(ReadConfig<FaceLiVTConfig>(file), new WeightSet(file.Tensors), reparameterize),
        VitDefinition.Family => VitDefinition.Build(ReadConfig<VitConfig>(file), new WeightSet(file.Tensors), reparameterize),
        _ => throw new ModelFormatException($"unknown model family '{file.Family}'"),
    };

    /// <summary>
    /// How a family's embedding networks expect pixels: FaceLiVT was trained on (v/255 − 0.5)/0.5 = (v − 127.5)/127.5,
    /// the others (InsightFace, FaceX) on (v − 127.5)/128.
    /// </summary>
    public static InputNormalization EmbedderInput(string family) =>
        family == FaceLiVTDefinition.Family ? InputNormalization.Symmetric127_5 : InputNormalization.Symmetric128;

    /// <summary>What a family's config implies before any weights exist: parameters, input and embedding size.</summary>
    public static ModelBlueprint Blueprint(string name, string family, JsonObject config)
    {
        var file = new ModelFile(family, config, []);
        switch (family)
        {
            case MobileFaceNetDefinition.Family:
            {
                var c = ReadConfig<MobileFaceNetConfig>(file);
                return new ModelBlueprint(name, family, config, [.. MobileFaceNetDefinition.Parameters(c)], c.InputSize, c.EmbeddingSize);
            }
            case FaceLiVTDefinition.Family:
            {
                var c = ReadConfig<FaceLiVTConfig>(file);
                return new ModelBlueprint(name, family, config, FaceLiVTDefinition.Parameters(c), c.InputSize, c.EmbeddingSize);
            }
            case VitDefinition.Family:
            {
                var c = ReadConfig<VitConfig>(file);
                return new ModelBlueprint(name, family, config, VitDefinition.Parameters(c), c.InputSize, c.EmbeddingSize);
            }
            default:
                throw new ModelFormatException($"family '{family}' is not an embedding model");
        }
    }

    /// <summary>Serialises a config for a model file header.</summary>
    public static JsonObject ToJson<T>(T config) => JsonSerializer.SerializeToNode(config)!.AsObject();

    /// <summary>Reads a family config from a model file header.</summary>
    public static T ReadConfig<T>(ModelFile file)
    {
        try
        {
            return file.Config.Deserialize<T>() ?? throw new ModelFormatException($"empty {file.Family} config");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"bad {file.Family} config: {e.Message.Split('\n')[0]}", e);
        }
    }
}
