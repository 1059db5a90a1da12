using Faceprint.Recognition;

namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// How an image's two network outputs (the aligned crop and its mirror image) become the feature that is averaged into
/// its media. The defaults are the reference evaluation's test mode: flip added, feature norm kept, detector score weight.
/// </summary>
public sealed record IjbFeatureOptions
{
    /// <summary>Add the mirrored crop's output to the crop's (flip test); otherwise use the crop's alone.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>
    /// Keep the feature's norm, so images the network responds to weakly weigh less in their media and template;
    /// otherwise each image feature is L2-normalised first.
    /// </summary>
    public bool NormScore { get; init; } = true;

    /// <summary>Multiply each image feature by its detector score.</summary>
    public bool DetectorScore { get; init; } = true;

    /// <summary>
    /// Writes the feature of one image to <paramref name="destination"/> from its raw outputs
    /// (<paramref name="raw"/>: crop then mirror, 2·D floats) and detector score.
    /// </summary>
    public void Combine(ReadOnlySpan<float> raw, float detectorScore, Span<float> destination)
    {
        int d = destination.Length;
        if (raw.Length != 2 * d) throw new ArgumentException($"raw outputs hold {raw.Length} floats, expected {2 * d}");
        raw[..d].CopyTo(destination);
        if (Flip)
            for (int i = 0; i < d; i++) destination[i] += raw[d + i];
        if (!NormScore) Embedding.Normalize(destination);
        if (DetectorScore)
            for (int i = 0; i < d; i++) destination[i] *= detectorScore;
    }
}
