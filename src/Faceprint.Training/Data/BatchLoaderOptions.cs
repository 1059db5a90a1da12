using Faceprint.Preprocessing;

namespace Faceprint.Training.Data;

/// <summary>Settings of <see cref="BatchLoader"/>.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Images per batch; the last incomplete batch of an epoch is dropped, as InsightFace does.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Side of the square network input; images of another size are resized (bilinear).</summary>
    public int ImageSize { get; init; } = 112;

    /// <summary>Seed of the epoch shuffles and flips; the same seed gives the same batches.</summary>
    public long Seed { get; init; }

    /// <summary>Batches decoded at once on worker threads.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Decoded batches that may wait ahead of the training step (the bound of the queue), at least <see cref="Workers"/>.</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Mirror each image left-right with probability ½.</summary>
    public bool RandomFlip { get; init; } = true;

    /// <summary>Pixel normalisation, (value − mean) / std; InsightFace's (127.5, 128) by default.</summary>
    public InputNormalization Normalization { get; init; } = InputNormalization.Symmetric128;
}
