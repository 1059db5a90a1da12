namespace Faceprint.Server.Contracts;

/// <summary>A landmark in image pixels.</summary>
public sealed record PointResponse(float X, float Y);
