namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery identify</c>: the probe face and the most similar enrolled people.</summary>
internal sealed record GalleryIdentifyReport(string Image, string Gallery, string Model, float Threshold, FaceJson Face, IReadOnlyList<CandidateJson> Candidates);

/// <summary>One identification candidate.</summary>
internal sealed record CandidateJson(string PersonId, long TemplateId, float Similarity, bool IsMatch);
