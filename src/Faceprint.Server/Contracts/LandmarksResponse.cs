namespace Faceprint.Server.Contracts;

/// <summary>The five landmarks of a face, named as the CLI's JSON names them.</summary>
public sealed record LandmarksResponse(PointResponse LeftEye, PointResponse RightEye, PointResponse Nose, PointResponse MouthLeft, PointResponse MouthRight);
