using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Alignment;

/// <summary>
/// The detector's box pushed out by <see cref="MarginPixels"/> on every side, clipped to the photo and resized
/// (bilinear, aspect not kept) to <see cref="FaceCrop.Size"/>² — no rotation: the crop HSE_FaceRec_tf's
/// <c>facial_analysis.py</c> feeds its 224×224 MobileNet (MTCNN box, 10 px margin, <c>cv2.resize</c>).
/// </summary>
public sealed record DetectionBoxCrop(int CropSize, float MarginPixels) : FaceCrop(CropSize)
{
    /// <inheritdoc />
    public override void Into(RgbImage image, DetectedFace face, InputNormalization norm, Span<float> destination)
    {
        var b = face.Box;
        float x1 = Math.Max(0, b.X1 - MarginPixels), y1 = Math.Max(0, b.Y1 - MarginPixels);
        float x2 = Math.Min(image.Width, b.X2 + MarginPixels), y2 = Math.Min(image.Height, b.Y2 + MarginPixels);
        if (x2 - x1 < 1 || y2 - y1 < 1) throw new ArgumentException("the face box lies outside the photo", nameof(face));
        InputSampler.ResizeRegion(image, x1, y1, x2 - x1, y2 - y1, Size, Size, norm, transpose: false, destination);
    }
}
