namespace Faceprint.Server.Contracts;

/// <summary>Answer of <c>POST /v1/detect</c>: the image size (after EXIF orientation) and its faces, best score first.</summary>
public sealed record DetectResponse(int Width, int Height, IReadOnlyList<FaceResponse> Faces);
