namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>GET /v1/gallery/persons</c>: every enrolled person, ordered by id.</summary>
public sealed record PersonListResponse(IReadOnlyList<PersonResponse> Persons);
