using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Liveness;
using Faceprint.Server.Errors;
using Faceprint.Server.Requests;

namespace Faceprint.Server.Inference;

/// <summary>
/// Decodes uploads and runs the engine on them under the <see cref="InferenceGate"/>. Images over the decode budget
/// (<see cref="ImageLimits.MaxDecodePixels"/>) are decoded at a reduced size; faces come back in full-size coordinates.
/// </summary>
internal sealed class FaceAnalyzer(FaceEngine engine, InferenceGate gate, ImageLimits limits)
{
    /// <summary>
    /// Estimated bytes per decoded pixel while a request is in flight: RGBA and RGB copies and the detector's first
    /// pyramid level with its activations (measured: about 40 MB per 2 Mpx decoded, rounded up).
    /// </summary>
    internal const int BytesPerDecodedPixel = 26;

    /// <summary>The shared engine.</summary>
    public FaceEngine Engine => engine;

    /// <summary>The full image size and its faces, best score first.</summary>
    public Task<(int Width, int Height, IReadOnlyList<DetectedFace> Faces)> DetectAsync(ImageUpload upload, CancellationToken ct) =>
        gate.RunAsync(Cost(upload), () =>
        {
            var image = Decode(upload);
            var faces = engine.Detect(image.Image, ct);
            return (image.Width, image.Height, (IReadOnlyList<DetectedFace>)faces.Select(f => ToFull(f, image)).ToList());
        }, ct);

    /// <summary>The full image size and every face with its embedding.</summary>
    public Task<(int Width, int Height, IReadOnlyList<EmbeddedFace> Faces)> EmbedAllAsync(ImageUpload upload, CancellationToken ct) =>
        gate.RunAsync(Cost(upload), () =>
        {
            var image = Decode(upload);
            var faces = engine.DetectAndEmbed(image.Image, ct);
            return (image.Width, image.Height, (IReadOnlyList<EmbeddedFace>)faces.Select(f => f with { Face = ToFull(f.Face, image) }).ToList());
        }, ct);

    /// <summary>The upload's subject face (<paramref name="choice"/>, default the engine's) with its embedding.</summary>
    /// <exception cref="NoFaceException">The image holds no face.</exception>
    public Task<EmbeddedFace> EmbedSubjectAsync(ImageUpload upload, FaceChoice? choice, CancellationToken ct) =>
        gate.RunAsync(Cost(upload), () =>
        {
            var image = Decode(upload);
            var face = engine.EmbedSubject(image.Image, upload.Name, choice, ct);
            return face with { Face = ToFull(face.Face, image) };
        }, ct);

    /// <summary>The full image size and every face with its anti-spoofing outcome (scored on the decoded pixels).</summary>
    /// <exception cref="ApiException">503 when the engine has no anti-spoofing network.</exception>
    public Task<(int Width, int Height, IReadOnlyList<(DetectedFace Face, LivenessResult Liveness)> Faces)> ScoreLivenessAsync(ImageUpload upload, CancellationToken ct)
    {
        RequireLiveness();
        return gate.RunAsync(Cost(upload), () =>
        {
            var image = Decode(upload);
            var faces = engine.Detect(image.Image, ct);
            var results = engine.ScoreLiveness(image.Image, faces);
            return (image.Width, image.Height,
                (IReadOnlyList<(DetectedFace, LivenessResult)>)faces.Select((f, i) => (ToFull(f, image), ToFull(results[i], image))).ToList());
        }, ct);
    }

    /// <summary>The upload's subject face with its embedding and, when <paramref name="liveness"/>, its anti-spoofing outcome.</summary>
    /// <exception cref="NoFaceException">The image holds no face.</exception>
    /// <exception cref="ApiException">503 when liveness is asked for and the engine has no anti-spoofing network.</exception>
    public Task<(EmbeddedFace Face, LivenessResult? Liveness)> EmbedSubjectAsync(ImageUpload upload, FaceChoice? choice, bool liveness, CancellationToken ct)
    {
        if (liveness) RequireLiveness();
        return gate.RunAsync(Cost(upload), () =>
        {
            var image = Decode(upload);
            var face = engine.EmbedSubject(image.Image, upload.Name, choice, ct);
            var result = liveness ? ToFull(engine.ScoreLiveness(image.Image, [face.Face])[0], image) : null;
            return (face with { Face = ToFull(face.Face, image) }, result);
        }, ct);
    }

    private void RequireLiveness()
    {
        if (!engine.HasLiveness)
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.LivenessUnavailable, "this service was started without the anti-spoofing network");
    }

    /// <summary>What decoding and detecting this upload may cost, from the size its header states (the budget's worth when unknown).</summary>
    private long Cost(ImageUpload upload)
    {
        long budget = limits.MaxDecodePixels ?? limits.MaxPixels;
        long pixels = ImageLoader.TryReadSize(upload.Data, out int width, out int height) ? Math.Min((long)width * height, budget) : budget;
        return pixels * BytesPerDecodedPixel;
    }

    private DecodedImage Decode(ImageUpload upload) => ImageLoader.DecodeScaled(upload.Data, limits, upload.Name);

    /// <summary>A liveness result of the decoded pixels with its crop in the coordinates of the full image.</summary>
    private static LivenessResult ToFull(LivenessResult result, DecodedImage image)
    {
        if (!image.IsReduced)
            return result;
        float sx = (float)image.ScaleX, sy = (float)image.ScaleY;
        var c = result.Crop;
        return result with { Crop = new BoundingBox(c.X1 * sx, c.Y1 * sy, c.X2 * sx, c.Y2 * sy) };
    }

    /// <summary>A face found in the decoded pixels, in the coordinates of the full image.</summary>
    private static DetectedFace ToFull(DetectedFace face, DecodedImage image)
    {
        if (!image.IsReduced)
            return face;
        float sx = (float)image.ScaleX, sy = (float)image.ScaleY;
        var box = new BoundingBox(face.Box.X1 * sx, face.Box.Y1 * sy, face.Box.X2 * sx, face.Box.Y2 * sy);
        return face with { Box = box, Landmarks = face.Landmarks.Select(p => new PointF(p.X * sx, p.Y * sy)).ToList() };
    }
}
