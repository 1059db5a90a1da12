namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery remove</c>: how many templates of the person were removed.</summary>
internal sealed record GalleryRemoveReport(string Gallery, string PersonId, int Removed);
