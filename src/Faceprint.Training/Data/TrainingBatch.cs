namespace Faceprint.Training.Data;

/// <summary>One decoded batch, ready to become tensors.</summary>
/// <param name="Epoch">Epoch the batch belongs to (0-based).</param>
/// <param name="Index">Position of the batch in its epoch (0-based).</param>
/// <param name="Pixels">N×3×S×S normalised pixels, NCHW, RGB.</param>
/// <param name="Labels">N class labels.</param>
/// <param name="ImageSize">S, the side of each image.</param>
public sealed record TrainingBatch(int Epoch, int Index, float[] Pixels, long[] Labels, int ImageSize)
{
    /// <summary>Number of images in the batch.</summary>
    public int Count => Labels.Length;
}
