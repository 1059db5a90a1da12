namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>GET /v1/gallery/persons/{person_id}</c>: the person's templates in enrolment order.</summary>
public sealed record PersonDetailResponse(string PersonId, IReadOnlyList<TemplateResponse> Templates);
