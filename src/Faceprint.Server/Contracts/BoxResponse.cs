namespace Faceprint.Server.Contracts;

/// <summary>A face box in image pixels; x2 and y2 are exclusive edges.</summary>
public sealed record BoxResponse(float X1, float Y1, float X2, float Y2);
