using Faceprint.Detection;
using Faceprint.Server.Contracts;
using Faceprint.Server.Inference;
using Faceprint.Server.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Faceprint.Server.Endpoints;

/// <summary><c>/v1/detect</c>, <c>/v1/embed</c>, <c>/v1/compare</c> and <c>/v1/liveness</c>: the engine's operations on uploaded images.</summary>
internal static class FaceEndpoints
{
    /// <summary>Maps the endpoints onto <paramref name="v1"/>.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/detect", DetectAsync)
            .WithName("Detect").WithSummary("Find the faces in an image: box, score and five landmarks each")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true)).ProducesCommonErrors();
        v1.MapPost("/embed", EmbedAsync)
            .WithName("Embed").WithSummary("Detect every face in an image and return its L2-normalised embedding")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true)).ProducesCommonErrors();
        v1.MapPost("/compare", CompareAsync)
            .WithName("Compare").WithSummary("Compare the subject face (query face=prominent|largest) of two images (multipart fields 'a' and 'b'); "
                + "query liveness=report|require adds each face's anti-spoofing outcome and with require refuses a face not judged live (422 not_live)")
            .AcceptsImages(new ImageBody(["a", "b"], RawBody: false)).ProducesCommonErrors()
            .ProducesErrors(StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);
        v1.MapPost("/liveness", LivenessAsync)
            .WithName("Liveness").WithSummary("Score every face with the anti-spoofing network: lower is more likely live; live below the threshold (0.2) when sharp enough to judge")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true)).ProducesCommonErrors()
            .ProducesErrors(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Ok<DetectResponse>> DetectAsync(HttpRequest request, FaceAnalyzer analyzer, CancellationToken ct)
    {
        var upload = await UploadReader.ReadOneAsync(request, jsonAccepted: false, ct);
        var (width, height, faces) = await analyzer.DetectAsync(upload, ct);
        return TypedResults.Ok(new DetectResponse(width, height, faces.Select(FaceResponse.From).ToList()));
    }

    private static async Task<Ok<EmbedResponse>> EmbedAsync(HttpRequest request, FaceAnalyzer analyzer, CancellationToken ct)
    {
        var upload = await UploadReader.ReadOneAsync(request, jsonAccepted: false, ct);
        var (width, height, faces) = await analyzer.EmbedAllAsync(upload, ct);
        var response = faces.Select(f => new EmbeddedFaceResponse(FaceResponse.From(f.Face), f.Embedding)).ToList();
        return TypedResults.Ok(new EmbedResponse(analyzer.Engine.EmbedderId, width, height, response));
    }

    private static async Task<Ok<CompareResponse>> CompareAsync(HttpRequest request, FaceAnalyzer analyzer, CancellationToken ct)
    {
        var choice = FaceChoiceRule.From(request) ?? analyzer.Engine.FaceChoice;
        var liveness = LivenessRule.From(request);
        var (uploadA, uploadB) = await UploadReader.ReadPairAsync(request, "a", "b", ct);
        var (a, livenessA) = await analyzer.EmbedSubjectAsync(uploadA, choice, liveness != LivenessMode.Off, ct);
        var (b, livenessB) = await analyzer.EmbedSubjectAsync(uploadB, choice, liveness != LivenessMode.Off, ct);
        LivenessRule.Enforce(liveness, livenessA, uploadA.Name);
        LivenessRule.Enforce(liveness, livenessB, uploadB.Name);
        var comparison = analyzer.Engine.Compare(a, b);
        return TypedResults.Ok(new CompareResponse(comparison.Similarity, comparison.Threshold, comparison.Same, FaceChoiceNames.Spell(choice),
            FaceResponse.From(comparison.FaceA), a.FacesFound, FaceResponse.From(comparison.FaceB), b.FacesFound,
            livenessA is null ? null : LivenessScoreResponse.From(livenessA), livenessB is null ? null : LivenessScoreResponse.From(livenessB)));
    }

    private static async Task<Ok<LivenessResponse>> LivenessAsync(HttpRequest request, FaceAnalyzer analyzer, CancellationToken ct)
    {
        var upload = await UploadReader.ReadOneAsync(request, jsonAccepted: false, ct);
        var (width, height, faces) = await analyzer.ScoreLivenessAsync(upload, ct);
        var rows = faces.Select(f => new LivenessFaceResponse(FaceResponse.From(f.Face), LivenessScoreResponse.From(f.Liveness))).ToList();
        // Scoring succeeded, so the engine has the network and its threshold.
        float threshold = analyzer.Engine.LivenessThreshold ?? Liveness.AntiSpoofingModel.Threshold;
        return TypedResults.Ok(new LivenessResponse(width, height, Liveness.AntiSpoofingModel.FileName, threshold, rows));
    }
}
