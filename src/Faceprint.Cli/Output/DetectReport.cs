namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint detect</c>.</summary>
internal sealed record DetectReport(string Image, int Width, int Height, IReadOnlyList<FaceJson> Faces, string? Overlay);
