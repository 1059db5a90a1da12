using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Alignment;

/// <summary>
/// Warps a face to the 112×112 ArcFace/InsightFace template from its five landmarks (similarity
/// transform, bilinear sampling, black outside the photo).
/// </summary>
public static class FaceAligner
{
    /// <summary>Side of the aligned crop.</summary>
    public const int Size = 112;

    /// <summary>Template positions of left eye, right eye, nose, left and right mouth corner in a 112×112 crop.</summary>
    public static IReadOnlyList<PointF> Template { get; } =
    [
        new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f),
    ];

    /// <summary>The transform from image coordinates to template coordinates for <paramref name="landmarks"/>.</summary>
    public static AffineTransform TransformFor(IReadOnlyList<PointF> landmarks) => SimilarityTransform.Estimate(landmarks, Template);

    /// <summary>Writes the normalised aligned face into <paramref name="destination"/> (112·112·3 floats, HWC).</summary>
    public static void AlignInto(RgbImage image, IReadOnlyList<PointF> landmarks, InputNormalization norm, Span<float> destination) =>
        InputSampler.WarpAffine(image, TransformFor(landmarks).Invert(), Size, norm, destination);

    /// <summary>The aligned face as an 8-bit image (for saving and inspection).</summary>
    public static RgbImage Align(RgbImage image, IReadOnlyList<PointF> landmarks)
    {
        var floats = new float[Size * Size * 3];
        AlignInto(image, landmarks, new InputNormalization(0f, 1f), floats);
        var bytes = new byte[floats.Length];
        for (int i = 0; i < floats.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(floats[i]), 0, 255);
        return new RgbImage(Size, Size, bytes);
    }
}
