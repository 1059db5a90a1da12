using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Alignment;

/// <summary>How an embedding network wants a detected face cut out of the photo: a <see cref="Size"/>² RGB crop.</summary>
public abstract record FaceCrop(int Size)
{
    /// <summary>The ArcFace/InsightFace 112×112 similarity-aligned crop (<see cref="FaceAligner"/>), which most embedders take.</summary>
    public static FaceCrop Aligned112 { get; } = new AlignedFaceCrop();

    /// <summary>Whether an already aligned 112×112 face can stand for this crop (true only for <see cref="Aligned112"/>).</summary>
    public virtual bool TakesAlignedFaces => false;

    /// <summary>Writes the normalised crop of <paramref name="face"/> (Size·Size·3 floats, HWC) into <paramref name="destination"/>.</summary>
    public abstract void Into(RgbImage image, DetectedFace face, InputNormalization norm, Span<float> destination);
}
