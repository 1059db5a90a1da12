using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Vit;

namespace Faceprint.Models;

/// <summary>
/// Every embedding configuration the engine knows by name: MobileFaceNet (the shipped 192-d TFLite model and the
/// FaceX sizes), FaceLiVT S/M/L with linear (LA) or softmax (SA) attention, and the InsightFace ViT T/S/B/L.
/// </summary>
public static class BuiltInModels
{
    /// <summary>All built-in configurations, in display order.</summary>
    public static IReadOnlyList<ModelBlueprint> All { get; } =
    [
        MobileFaceNet("mobilefacenet", MobileFaceNetConfig.ExpoTfLite),
        MobileFaceNet("facex-nano", MobileFaceNetConfig.FaceXNano),
        MobileFaceNet("facex-tiny", MobileFaceNetConfig.FaceXTiny),
        MobileFaceNet("facex-standard", MobileFaceNetConfig.FaceXStandard),
        MobileFaceNet("facex-xs", MobileFaceNetConfig.FaceXXs),
        FaceLiVT("facelivt-s-la", FaceLiVTConfig.SmallDims, TokenMixer.Mhla),
        FaceLiVT("facelivt-s-sa", FaceLiVTConfig.SmallDims, TokenMixer.Mhsa),
        FaceLiVT("facelivt-m-la", FaceLiVTConfig.MediumDims, TokenMixer.Mhla),
        FaceLiVT("facelivt-m-sa", FaceLiVTConfig.MediumDims, TokenMixer.Mhsa),
        FaceLiVT("facelivt-l-la", FaceLiVTConfig.LargeDims, TokenMixer.Mhla),
        FaceLiVT("facelivt-l-sa", FaceLiVTConfig.LargeDims, TokenMixer.Mhsa),
        Vit("vit-t", VitConfig.Tiny),
        Vit("vit-s", VitConfig.Small),
        Vit("vit-b", VitConfig.Base),
        Vit("vit-l", VitConfig.Large),
    ];

    /// <summary>The configuration called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ModelBlueprint? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    private static ModelBlueprint MobileFaceNet(string name, MobileFaceNetConfig config) =>
        ModelFamilies.Blueprint(name, MobileFaceNetDefinition.Family, ModelFamilies.ToJson(config));

    private static ModelBlueprint FaceLiVT(string name, IReadOnlyList<int> dims, TokenMixer global) =>
        ModelFamilies.Blueprint(name, FaceLiVTDefinition.Family, ModelFamilies.ToJson(FaceLiVTConfig.Create(dims, global)));

    private static ModelBlueprint Vit(string name, VitConfig config) =>
        ModelFamilies.Blueprint(name, VitDefinition.Family, ModelFamilies.ToJson(config));
}
