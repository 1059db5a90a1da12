namespace Faceprint.Server.Requests;

/// <summary>One encoded image received with a request, not yet decoded.</summary>
/// <param name="Field">The multipart field it came in, or "body" for a raw upload.</param>
/// <param name="Name">How error messages name it.</param>
/// <param name="Data">The encoded bytes.</param>
public sealed record ImageUpload(string Field, string Name, byte[] Data);
