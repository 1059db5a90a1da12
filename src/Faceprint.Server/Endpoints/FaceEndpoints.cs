using Faceprint.Detection;
using Faceprint.Server.Contracts;
using Faceprint.Server.Inference;
using Faceprint.Server.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Faceprint.Server.Endpoints;

/// <summary><c>/v1/detect</c>, <c>/v1/embed</c> and <c>/v1/compare</c>: the engine's operations on uploaded images.</summary>
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
            .WithName("Compare").WithSummary("Compare the subject face (query face=prominent|largest) of two images (multipart fields 'a' and 'b')")
            .AcceptsImages(new ImageBody(["a", "b"], RawBody: false)).ProducesCommonErrors()
            .ProducesErrors(StatusCodes.Status422UnprocessableEntity);
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
        var (uploadA, uploadB) = await UploadReader.ReadPairAsync(request, "a", "b", ct);
        var a = await analyzer.EmbedSubjectAsync(uploadA, choice, ct);
        var b = await analyzer.EmbedSubjectAsync(uploadB, choice, ct);
        var comparison = analyzer.Engine.Compare(a, b);
        return TypedResults.Ok(new CompareResponse(comparison.Similarity, comparison.Threshold, comparison.Same, FaceChoiceNames.Spell(choice),
            FaceResponse.From(comparison.FaceA), a.FacesFound, FaceResponse.From(comparison.FaceB), b.FacesFound));
    }
}
