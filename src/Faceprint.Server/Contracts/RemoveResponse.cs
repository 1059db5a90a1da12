namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>DELETE /v1/gallery/persons/{person_id}</c>.</summary>
public sealed record RemoveResponse(string PersonId, int RemovedTemplates);
