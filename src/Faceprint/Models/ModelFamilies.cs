using System.Text.Json;
using System.Text.Json.Nodes;
using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Mtcnn;

namespace Faceprint.Models;

/// <summary>Maps a model file's family to the definition that builds it, and configs to and from JSON.</summary>
public static class ModelFamilies
{
    /// <summary>Builds the network a model file describes.</summary>
    public static Network Build(ModelFile file) => file.Family switch
    {
        MobileFaceNetDefinition.Family => MobileFaceNetDefinition.Build(ReadConfig<MobileFaceNetConfig>(file), new WeightSet(file.Tensors)),
        CascadeNetDefinition.Family => CascadeNetDefinition.Build(ReadConfig<CascadeNetConfig>(file), new WeightSet(file.Tensors)),
        _ => throw new ModelFormatException($"unknown model family '{file.Family}'"),
    };

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
