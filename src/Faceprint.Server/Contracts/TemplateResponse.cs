namespace Faceprint.Server.Contracts;

/// <summary>One enrolled template, without its embedding.</summary>
public sealed record TemplateResponse(long TemplateId, string? Source, DateTimeOffset Created);
