namespace Faceprint.Gallery;

/// <summary>An enrolled person and how many templates they have.</summary>
/// <param name="PersonId">The person.</param>
/// <param name="TemplateCount">Number of templates enrolled for them.</param>
public sealed record GalleryPerson(string PersonId, int TemplateCount);
