using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Core.Graph.Quantization;

/// <summary>What calibration saw of one tensor: its extremes overall and the sums of its per-image extremes.</summary>
public sealed class ActivationRange
{
    /// <summary>Smallest value seen.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>Largest value seen.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Images observed.</summary>
    public int Images { get; private set; }

    private double _sumMin, _sumMax;

    /// <summary>Adds one image's values.</summary>
    public void Observe(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (!float.IsFinite(min) || !float.IsFinite(max)) throw new FaceprintException("calibration saw non-finite activations");
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        _sumMin += min;
        _sumMax += max;
        Images++;
    }

    /// <summary>The quantization parameters <paramref name="method"/> derives from what was seen.</summary>
    public QuantParams Params(CalibrationMethod method)
    {
        if (Images == 0) throw new InvalidOperationException("no calibration images observed");
        return method switch
        {
            CalibrationMethod.MeanMinMax => QuantParams.FromRange((float)(_sumMin / Images), (float)(_sumMax / Images)),
            _ => QuantParams.FromRange(Min, Max),
        };
    }
}
