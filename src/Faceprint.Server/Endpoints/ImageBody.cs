namespace Faceprint.Server.Endpoints;

/// <summary>
/// Endpoint metadata describing how it takes images, from which the OpenAPI document builds the request body:
/// multipart fields, whether a raw <c>image/*</c> body is accepted too, and the JSON alternative if any. (Not
/// <c>Accepts</c> metadata: routing would then refuse every other content type with 415 before the handler runs.)
/// </summary>
/// <param name="Fields">The multipart file fields, e.g. ["image"] or ["a", "b"].</param>
/// <param name="RawBody">Whether the image may be the whole body.</param>
/// <param name="Repeated">Whether the field may repeat (several images in one request).</param>
/// <param name="JsonBody">The type of the JSON body the endpoint takes instead of images, if it does.</param>
internal sealed record ImageBody(IReadOnlyList<string> Fields, bool RawBody, bool Repeated = false, Type? JsonBody = null);
