namespace Faceprint.Training.Data;

/// <summary>
/// A labelled set of aligned face images indexed 0..<see cref="Count"/>−1. <see cref="Load"/> must be safe to call from
/// several loader threads at once.
/// </summary>
public interface IFaceDataset
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Number of classes (identities); labels lie in [0, ClassCount).</summary>
    int ClassCount { get; }

    /// <summary>Decodes image <paramref name="index"/> and returns it with its label.</summary>
    FaceSample Load(int index);
}
