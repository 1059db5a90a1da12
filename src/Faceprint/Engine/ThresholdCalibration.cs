using System.Globalization;

namespace Faceprint.Engine;

/// <summary>A threshold measured to give a false-accept rate on labelled impostor pairs.</summary>
/// <param name="FalseAcceptRate">Fraction of impostor pairs scored at or above <paramref name="Threshold"/>.</param>
/// <param name="Threshold">Cosine similarity threshold.</param>
/// <param name="TrueAcceptRate">Fraction of genuine pairs accepted at it, on the calibration data.</param>
public sealed record OperatingPoint(double FalseAcceptRate, float Threshold, double TrueAcceptRate);

/// <summary>
/// Where a model's same/different threshold comes from: the data and rule it was measured with, the accuracy there,
/// and thresholds for chosen false-accept rates. A model of one's own has none until it is calibrated on labelled
/// pairs (<c>faceprint eval pairs --model</c>).
/// </summary>
/// <param name="Threshold">Default threshold.</param>
/// <param name="Data">The labelled pairs it was measured on.</param>
/// <param name="Rule">How the value was chosen from them.</param>
/// <param name="Accuracy">Verification accuracy at <paramref name="Threshold"/> on <paramref name="Data"/>.</param>
/// <param name="OperatingPoints">Thresholds by false-accept rate, measured on the same pairs.</param>
public sealed record ThresholdCalibration(float Threshold, string Data, string Rule, double Accuracy, IReadOnlyList<OperatingPoint> OperatingPoints)
{
    /// <summary>The threshold measured for <paramref name="falseAcceptRate"/>; throws when none was.</summary>
    public float ThresholdAtFar(double falseAcceptRate)
    {
        if (falseAcceptRate > 0)
            foreach (var point in OperatingPoints)
                if (Math.Abs(Math.Log10(point.FalseAcceptRate / falseAcceptRate)) < 1e-6)
                    return point.Threshold;
        string known = string.Join(", ", OperatingPoints.Select(p => p.FalseAcceptRate.ToString("0.###E+0", CultureInfo.InvariantCulture)));
        throw new FaceprintException(string.Create(CultureInfo.InvariantCulture, $"no threshold was measured for a false-accept rate of {falseAcceptRate:G3}; calibrated rates: {known}"));
    }
}
