namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery create</c>: the gallery, the model it records, and what it already holds.</summary>
internal sealed record GalleryCreateReport(string Gallery, string Model, int Dimension, int People, int Templates);
