using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Server.Requests;

namespace Faceprint.Server.Inference;

/// <summary>Decodes uploads and runs the engine on them, each step under the <see cref="InferenceGate"/>.</summary>
internal sealed class FaceAnalyzer(FaceEngine engine, InferenceGate gate, ImageLimits limits)
{
    /// <summary>The shared engine.</summary>
    public FaceEngine Engine => engine;

    /// <summary>The decoded image's size and its faces, best score first.</summary>
    public Task<(RgbImage Image, IReadOnlyList<DetectedFace> Faces)> DetectAsync(ImageUpload upload, CancellationToken ct) =>
        gate.RunAsync(() =>
        {
            var image = Decode(upload);
            return (image, engine.Detect(image, ct));
        }, ct);

    /// <summary>The decoded image and every face with its embedding.</summary>
    public Task<(RgbImage Image, IReadOnlyList<EmbeddedFace> Faces)> EmbedAllAsync(ImageUpload upload, CancellationToken ct) =>
        gate.RunAsync(() =>
        {
            var image = Decode(upload);
            return (image, engine.DetectAndEmbed(image, ct));
        }, ct);

    /// <summary>The upload's subject face (<paramref name="choice"/>, default the engine's) with its embedding.</summary>
    /// <exception cref="NoFaceException">The image holds no face.</exception>
    public Task<EmbeddedFace> EmbedSubjectAsync(ImageUpload upload, FaceChoice? choice, CancellationToken ct) =>
        gate.RunAsync(() => engine.EmbedSubject(Decode(upload), upload.Name, choice, ct), ct);

    private RgbImage Decode(ImageUpload upload) => ImageLoader.Decode(upload.Data, limits, upload.Name);
}
