namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint align</c>: one aligned crop file per face, in detection order.</summary>
internal sealed record AlignReport(string Image, int Size, IReadOnlyList<AlignedFaceJson> Faces);

/// <summary>One aligned face: where its crop was written and the detection it came from.</summary>
internal sealed record AlignedFaceJson(string File, BoxJson Box, float Score);
