using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Alignment;

/// <summary>The 112×112 crop warped onto the ArcFace template from the detector's landmarks.</summary>
public sealed record AlignedFaceCrop() : FaceCrop(FaceAligner.Size)
{
    /// <inheritdoc />
    public override bool TakesAlignedFaces => true;

    /// <inheritdoc />
    public override void Into(RgbImage image, DetectedFace face, InputNormalization norm, Span<float> destination) =>
        FaceAligner.AlignInto(image, face, norm, destination);
}
