using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Server.Configuration;
using Faceprint.Server.Contracts;
using Faceprint.Server.Errors;
using Faceprint.Server.Inference;
using Faceprint.Server.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Faceprint.Server.Endpoints;

/// <summary>
/// <c>/v1/gallery</c>: list, inspect, enrol and remove people; identify (1:N) and verify (1:1) a probe given as an
/// image or as an embedding. Every enrolment is one all-or-nothing store write, acknowledged only once it is durable.
/// </summary>
internal static class GalleryEndpoints
{
    private const string PersonRoute = "/gallery/persons/{person_id}";

    /// <summary>Maps the endpoints onto <paramref name="v1"/>.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/gallery/persons", ListAsync)
            .WithName("ListPersons").WithSummary("List enrolled people with their template counts")
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        v1.MapGet(PersonRoute, GetAsync)
            .WithName("GetPerson").WithSummary("A person's templates (ids, sources, enrolment times; no embeddings)")
            .ProducesCommonErrors().ProducesErrors(StatusCodes.Status404NotFound);
        v1.MapPost(PersonRoute + "/templates", EnrollAsync)
            .WithName("Enroll").WithSummary("Enrol one or more images (the subject face of each, query face=prominent|largest) or embeddings for a person, all or nothing; "
                + "query liveness=report|require scores each face with the anti-spoofing network and with require refuses one not judged live (422 not_live)")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true, Repeated: true, JsonBody: typeof(EnrollEmbeddingsRequest)))
            .ProducesCommonErrors().ProducesErrors(StatusCodes.Status422UnprocessableEntity);
        v1.MapDelete(PersonRoute, RemoveAsync)
            .WithName("RemovePerson").WithSummary("Remove every template of a person")
            .ProducesCommonErrors().ProducesErrors(StatusCodes.Status404NotFound);
        v1.MapPost("/gallery/identify", IdentifyAsync)
            .WithName("Identify").WithSummary("Who is this? The k most similar enrolled people for an image or embedding")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true, JsonBody: typeof(ProbeEmbeddingRequest)))
            .ProducesCommonErrors().ProducesErrors(StatusCodes.Status422UnprocessableEntity);
        v1.MapPost(PersonRoute + "/verify", VerifyAsync)
            .WithName("Verify").WithSummary("Is this the claimed person? Best similarity over their templates")
            .AcceptsImages(new ImageBody([UploadReader.ImageField], RawBody: true, JsonBody: typeof(ProbeEmbeddingRequest)))
            .ProducesCommonErrors().ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Ok<PersonListResponse>> ListAsync(IGalleryStore store, CancellationToken ct)
    {
        var people = await store.ListPeopleAsync(ct);
        return TypedResults.Ok(new PersonListResponse(people.Select(p => new PersonResponse(p.PersonId, p.TemplateCount)).ToList()));
    }

    private static async Task<Ok<PersonDetailResponse>> GetAsync([FromRoute(Name = "person_id")] string personId, HttpRequest request, IGalleryStore store, CancellationToken ct)
    {
        personId = RequestRules.PersonId(request, personId);
        var templates = await store.GetTemplatesAsync(personId, ct);
        if (templates.Count == 0)
            throw new UnknownPersonException(personId);
        return TypedResults.Ok(new PersonDetailResponse(personId, templates.Select(t => new TemplateResponse(t.TemplateId, t.Source, t.Created)).ToList()));
    }

    private static async Task<Created<EnrollResponse>> EnrollAsync(
        [FromRoute(Name = "person_id")] string personId, [FromQuery] string? source,
        HttpRequest request, FaceAnalyzer analyzer, IGalleryStore store, FaceprintServerOptions options, CancellationToken ct)
    {
        personId = RequestRules.PersonId(request, personId);
        IReadOnlyList<float[]> embeddings;
        List<FaceResponse>? faces = null;
        List<LivenessScoreResponse>? liveness = null;
        if (UploadReader.IsJson(request))
        {
            var body = await request.ReadFromJsonAsync<EnrollEmbeddingsRequest>(ct);
            if (body?.Embeddings is not { Count: > 0 } sent)
                throw ApiException.BadRequest("the JSON body needs \"embeddings\": a non-empty list of vectors");
            if (sent.Count > options.MaxImagesPerEnrolment)
                throw ApiException.BadRequest($"{sent.Count} embeddings in one request; at most {options.MaxImagesPerEnrolment} are accepted");
            embeddings = sent.Select((e, i) => RequestRules.Embedding(e, store.Dimension, $"embeddings[{i}]")).ToList();
        }
        else
        {
            var choice = FaceChoiceRule.From(request);
            var mode = LivenessRule.From(request);
            var uploads = await UploadReader.ReadAllAsync(request, options.MaxImagesPerEnrolment, jsonAccepted: true, ct);
            // Every image is embedded (and, if asked, judged live) before anything is written, so one face-less or
            // refused image enrols none of them.
            var embedded = new List<EmbeddedFace>(uploads.Count);
            foreach (var upload in uploads)
            {
                var (face, result) = await analyzer.EmbedSubjectAsync(upload, choice, mode != LivenessMode.Off, ct);
                LivenessRule.Enforce(mode, result, upload.Name);
                embedded.Add(face);
                if (result is not null) (liveness ??= []).Add(LivenessScoreResponse.From(result));
            }
            embeddings = embedded.Select(e => e.Embedding).ToList();
            faces = embedded.Select(e => FaceResponse.From(e.Face)).ToList();
        }

        var ids = await store.AddAsync(personId, embeddings, source, ct);
        return TypedResults.Created($"/v1/gallery/persons/{Uri.EscapeDataString(personId)}", new EnrollResponse(personId, ids, faces, liveness));
    }

    private static async Task<Ok<RemoveResponse>> RemoveAsync([FromRoute(Name = "person_id")] string personId, HttpRequest request, IGalleryStore store, CancellationToken ct)
    {
        personId = RequestRules.PersonId(request, personId);
        int removed = await store.RemovePersonAsync(personId, ct);
        return removed > 0 ? TypedResults.Ok(new RemoveResponse(personId, removed)) : throw new UnknownPersonException(personId);
    }

    private static async Task<Ok<IdentifyResponse>> IdentifyAsync(
        [FromQuery] int? k, [FromQuery] float? threshold, HttpRequest request, FaceAnalyzer analyzer, FaceGallery gallery, CancellationToken ct)
    {
        int topK = RequestRules.TopK(k);
        float cutoff = RequestRules.Threshold(threshold, analyzer.Engine.Threshold);
        var (embedding, face) = await ReadProbeAsync(request, analyzer, gallery.Store.Dimension, ct);
        var candidates = await gallery.IdentifyAsync(embedding, topK, cutoff, ct);
        return TypedResults.Ok(new IdentifyResponse(cutoff,
            candidates.Select(c => new CandidateResponse(c.PersonId, c.TemplateId, c.Similarity, c.IsMatch)).ToList(), face));
    }

    private static async Task<Ok<VerifyResponse>> VerifyAsync(
        [FromRoute(Name = "person_id")] string personId, [FromQuery] float? threshold,
        HttpRequest request, FaceAnalyzer analyzer, FaceGallery gallery, CancellationToken ct)
    {
        personId = RequestRules.PersonId(request, personId);
        float cutoff = RequestRules.Threshold(threshold, analyzer.Engine.Threshold);
        var (embedding, face) = await ReadProbeAsync(request, analyzer, gallery.Store.Dimension, ct);
        var result = await gallery.VerifyAsync(personId, embedding, cutoff, ct);
        return TypedResults.Ok(new VerifyResponse(personId, result.TemplateId, result.Similarity, cutoff, result.IsMatch, face));
    }

    /// <summary>The probe embedding: from a JSON body as sent, or from the subject face of an uploaded image.</summary>
    private static async Task<(float[] Embedding, FaceResponse? Face)> ReadProbeAsync(HttpRequest request, FaceAnalyzer analyzer, int dimension, CancellationToken ct)
    {
        if (UploadReader.IsJson(request))
        {
            var body = await request.ReadFromJsonAsync<ProbeEmbeddingRequest>(ct);
            return (RequestRules.Embedding(body?.Embedding, dimension, "embedding"), null);
        }

        var choice = FaceChoiceRule.From(request);
        var upload = await UploadReader.ReadOneAsync(request, jsonAccepted: true, ct);
        var face = await analyzer.EmbedSubjectAsync(upload, choice, ct);
        return (face.Embedding, FaceResponse.From(face.Face));
    }
}
