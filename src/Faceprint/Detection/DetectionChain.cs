using Faceprint.Imaging;

namespace Faceprint.Detection;

/// <summary>
/// How the engine finds faces: MTCNN first (its five landmarks align best); when it finds none, MTCNN again on the
/// photo with a black border (<see cref="FramePadding"/>: a face that fills the frame); when that finds none either,
/// the fallback detectors in order (BlazeFace: profiles, hard poses). Each stage runs only when the ones before it
/// found nothing, so photos with a face MTCNN sees cost what MTCNN costs. Thread-safe.
/// </summary>
public sealed class DetectionChain
{
    private readonly MtcnnDetector _mtcnn;
    private readonly IReadOnlyList<BlazeFaceDetector> _fallbacks;
    private readonly bool _retryWithBorder;

    /// <summary>Creates the chain; <paramref name="fallbacks"/> may be empty.</summary>
    public DetectionChain(MtcnnDetector mtcnn, IReadOnlyList<BlazeFaceDetector> fallbacks, bool retryWithBorder)
    {
        _mtcnn = mtcnn;
        _fallbacks = fallbacks;
        _retryWithBorder = retryWithBorder;
    }

    /// <summary>Faces of the first stage that finds any, best score first; each says which detector found it.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, MtcnnOptions options, CancellationToken ct = default)
    {
        var faces = _mtcnn.Detect(image, options, ct);
        if (faces.Count > 0) return faces;
        if (_retryWithBorder)
        {
            float scale = Math.Min(1f, FramePadding.RetrySide / (float)Math.Max(image.Width, image.Height));
            var small = scale < 1f
                ? ImageOps.Resize(image, Math.Max(1, (int)MathF.Round(image.Width * scale)), Math.Max(1, (int)MathF.Round(image.Height * scale)))
                : image;
            int border = FramePadding.BorderFor(small);
            faces = _mtcnn.Detect(FramePadding.Pad(small, border), options, ct).Select(f => FramePadding.Unpad(f, border, scale)).ToList();
            if (faces.Count > 0) return faces;
        }
        foreach (var fallback in _fallbacks)
        {
            faces = fallback.Detect(image, ct: ct);
            if (faces.Count > 0) return faces;
        }
        return faces;
    }
}
