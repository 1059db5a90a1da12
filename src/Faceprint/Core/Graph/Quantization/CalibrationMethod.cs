namespace Faceprint.Core.Graph.Quantization;

/// <summary>
/// How calibration turns the activations it saw into one range per tensor (a range per channel is always that channel's
/// extremes: see <see cref="ChannelActivationRange.Params"/>).
/// </summary>
public enum CalibrationMethod
{
    /// <summary>The extremes over every calibration image: nothing clips, but one outlier widens the step for all.</summary>
    MinMax,

    /// <summary>The mean over images of each image's extremes: rare outliers clip, the common range gets finer steps.</summary>
    MeanMinMax,
}
