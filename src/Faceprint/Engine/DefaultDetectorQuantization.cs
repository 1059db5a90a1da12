using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Detection;

namespace Faceprint.Engine;

/// <summary>
/// The int8 plans of the default MTCNN nets, recorded here as data so int8 detection never depends on photos at the
/// user's site: the input scale and zero point of each dense conv, calibrated (method minmax) by running the fp32
/// cascade on the project's fixture photos, every pyramid level and every R-Net/O-Net crop the detector produced.
/// Regenerate with <c>dotnet run -c Release --project tools/DetectorInt8 -- calibrate ../shared/fixtures</c> and paste
/// its output over the three dictionaries below.
/// </summary>
public static class DefaultDetectorQuantization
{
    /// <summary>Photos the plans were calibrated on.</summary>
    public const int CalibrationImages = 110;

    private static readonly Dictionary<string, QuantParams> PNetInputs = new(StringComparer.Ordinal)
    {
        ["conv1"] = new(0.007812501f, 127),
        ["conv2"] = new(0.07985521f, 40),
        ["conv3"] = new(0.13316703f, 110),
        ["head.box"] = new(0.15683448f, 66),
        ["head.prob"] = new(0.15683448f, 66),
    };

    private static readonly Dictionary<string, QuantParams> RNetInputs = new(StringComparer.Ordinal)
    {
        ["conv1"] = new(0.007812501f, 127),
        ["conv2"] = new(0.04915206f, 126),
        ["conv3"] = new(0.039236575f, 84),
    };

    private static readonly Dictionary<string, QuantParams> ONetInputs = new(StringComparer.Ordinal)
    {
        ["conv1"] = new(0.007812501f, 127),
        ["conv2"] = new(0.037403166f, 52),
        ["conv3"] = new(0.043768995f, 86),
        ["conv4"] = new(0.029597834f, 50),
    };

    /// <summary>The plans int8 detection applies to the default P-Net, R-Net and O-Net.</summary>
    public static MtcnnQuantization Quantization { get; } = new(
        new QuantizationPlan(CalibrationMethod.MinMax, CalibrationImages, PNetInputs, []),
        new QuantizationPlan(CalibrationMethod.MinMax, CalibrationImages, RNetInputs, []),
        new QuantizationPlan(CalibrationMethod.MinMax, CalibrationImages, ONetInputs, []));
}
