namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery verify</c>: the claimed person, their best template and the verdict.</summary>
internal sealed record GalleryVerifyReport(string Image, string Gallery, string PersonId, long TemplateId, float Similarity, float Threshold, bool IsMatch, FaceJson Face);
