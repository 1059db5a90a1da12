namespace Faceprint.Server.Contracts;

/// <summary>An enrolled person and how many templates they have.</summary>
public sealed record PersonResponse(string PersonId, int TemplateCount);
