namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint gallery create</c>: the gallery, whether this run created it (false: it was there already),
/// the model it records, and what it holds.
/// </summary>
internal sealed record GalleryCreateReport(string Gallery, bool Created, string Model, int Dimension, int People, int Templates);
