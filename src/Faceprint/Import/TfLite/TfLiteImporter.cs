using System.Security.Cryptography;
using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Mtcnn;

namespace Faceprint.Import.TfLite;

/// <summary>Converts TFLite files onto the engine's model definitions, producing <see cref="ModelFile"/>s.</summary>
public static class TfLiteImporter
{
    /// <summary>Imports an MTCNN stage (P-, R- or O-Net) described by <paramref name="config"/>.</summary>
    public static ModelFile ImportCascadeNet(string path, CascadeNetConfig config) =>
        Import(path, CascadeNetDefinition.Family, ModelFamilies.ToJson(config), CascadeNetDefinition.Parameters(config).ToList(), config.Name);

    /// <summary>Imports a MobileFaceNet described by <paramref name="config"/>.</summary>
    public static ModelFile ImportMobileFaceNet(string path, MobileFaceNetConfig config) =>
        Import(path, MobileFaceNetDefinition.Family, ModelFamilies.ToJson(config), MobileFaceNetDefinition.Parameters(config).ToList(), "MobileFaceNet");

    /// <summary>
    /// Builds the engine network of a TFLite file op by op from the file's own graph (no family definition), e.g.
    /// MediaPipe's BlazeFace detectors; outputs follow the file's output order.
    /// </summary>
    public static Network ImportGraph(string path) =>
        TfLiteGraphTranslator.Translate(TfLiteModel.Load(path), Path.GetFileNameWithoutExtension(path));

    private static ModelFile Import(string path, string family, System.Text.Json.Nodes.JsonObject config, List<ParameterSpec> specs, string name)
    {
        var model = TfLiteModel.Load(path);
        var weights = WeightSet.FromOrdered(specs, TfLiteParameterExtractor.Extract(model), name);
        var metadata = new Dictionary<string, string>
        {
            ["source"] = Path.GetFileName(path),
            ["source_sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
            ["converter"] = "faceprint tflite importer 1",
        };
        return new ModelFile(family, config, specs.Select(s => new NamedTensor(s.Name, s.Shape, weights[s.Name])).ToList(), metadata);
    }
}
