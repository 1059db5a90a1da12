namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint gallery enroll</c>: the new template ids, one per image, and the face each came from.</summary>
internal sealed record GalleryEnrollReport(string Gallery, string PersonId, string Model, IReadOnlyList<long> TemplateIds, IReadOnlyList<EnrolledImageJson> Images);

/// <summary>One enrolled image: its path, the template made from it, the face used and, with --liveness, its anti-spoofing outcome.</summary>
internal sealed record EnrolledImageJson(string Image, long TemplateId, FaceJson Face, LivenessJson? Liveness = null);
