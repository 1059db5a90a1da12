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

    /// <summary>
    /// Template for BlazeFace's points that the template locates: left eye, right eye, nose tip, and the mouth centre,
    /// taken as the midpoint of the template's mouth corners (BlazeFace has no corners; its ears are not in the template).
    /// </summary>
    public static IReadOnlyList<PointF> MouthCentreTemplate { get; } =
    [
        Template[0], Template[1], Template[2], new((Template[3].X + Template[4].X) / 2, (Template[3].Y + Template[4].Y) / 2),
    ];

    /// <summary>The transform from image coordinates to template coordinates for five MTCNN <paramref name="landmarks"/>.</summary>
    public static AffineTransform TransformFor(IReadOnlyList<PointF> landmarks) => SimilarityTransform.Estimate(landmarks, Template);

    /// <summary>
    /// The transform for <paramref name="face"/> by its detector: MTCNN's five landmarks onto <see cref="Template"/>,
    /// BlazeFace's eyes, nose and mouth centre (least squares over four points) onto <see cref="MouthCentreTemplate"/>.
    /// </summary>
    public static AffineTransform TransformFor(DetectedFace face) => face.Detector switch
    {
        FaceDetectorKind.Mtcnn => TransformFor(face.Landmarks),
        FaceDetectorKind.BlazeFace when face.Landmarks.Count >= MouthCentreTemplate.Count =>
            SimilarityTransform.Estimate([.. face.Landmarks.Take(MouthCentreTemplate.Count)], MouthCentreTemplate),
        _ => throw new ArgumentException($"a {face.Detector} face with {face.Landmarks.Count} landmarks cannot be aligned", nameof(face)),
    };

    /// <summary>Writes the normalised aligned face into <paramref name="destination"/> (112·112·3 floats, HWC).</summary>
    public static void AlignInto(RgbImage image, IReadOnlyList<PointF> landmarks, InputNormalization norm, Span<float> destination) =>
        InputSampler.WarpAffine(image, TransformFor(landmarks).Invert(), Size, norm, destination);

    /// <summary>Writes <paramref name="face"/>'s normalised aligned crop into <paramref name="destination"/> (112·112·3 floats, HWC).</summary>
    public static void AlignInto(RgbImage image, DetectedFace face, InputNormalization norm, Span<float> destination) =>
        InputSampler.WarpAffine(image, TransformFor(face).Invert(), Size, norm, destination);

    /// <summary>The aligned face as an 8-bit image (for saving and inspection).</summary>
    public static RgbImage Align(RgbImage image, IReadOnlyList<PointF> landmarks) => ToImage(TransformFor(landmarks), image);

    /// <summary><paramref name="face"/>'s aligned crop as an 8-bit image, aligned as its detector's points require.</summary>
    public static RgbImage Align(RgbImage image, DetectedFace face) => ToImage(TransformFor(face), image);

    private static RgbImage ToImage(AffineTransform transform, RgbImage image)
    {
        var floats = new float[Size * Size * 3];
        InputSampler.WarpAffine(image, transform.Invert(), Size, new InputNormalization(0f, 1f), floats);
        var bytes = new byte[floats.Length];
        for (int i = 0; i < floats.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(floats[i]), 0, 255);
        return new RgbImage(Size, Size, bytes);
    }
}
