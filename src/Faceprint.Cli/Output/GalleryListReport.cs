namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery list</c>: enrolled people with their template counts, by person id.</summary>
internal sealed record GalleryListReport(string Gallery, string Model, int Dimension, IReadOnlyList<PersonJson> People);

/// <summary>One enrolled person.</summary>
internal sealed record PersonJson(string PersonId, int TemplateCount);
