namespace Faceprint.Server.Contracts;

/// <summary>
/// The landmarks of a face, named as the CLI's JSON names them: MTCNN gives both mouth corners, BlazeFace the mouth
/// centre and the ear tragions instead (absent names are left out).
/// </summary>
public sealed record LandmarksResponse(
    PointResponse LeftEye, PointResponse RightEye, PointResponse Nose,
    PointResponse? MouthLeft = null, PointResponse? MouthRight = null, PointResponse? MouthCenter = null,
    PointResponse? LeftEar = null, PointResponse? RightEar = null);
