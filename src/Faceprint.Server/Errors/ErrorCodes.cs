namespace Faceprint.Server.Errors;

/// <summary>The values of <see cref="ApiProblem.Code"/>.</summary>
public static class ErrorCodes
{
    /// <summary>401: no API key, or not a known one.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>429: the key's rate limit is used up; see Retry-After.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>413: the request body is over the size limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>415: the body is neither an image, multipart form nor JSON where the endpoint takes it.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>400: the upload is not a readable image (corrupt, truncated, unsupported, or over the pixel limit).</summary>
    public const string InvalidImage = "invalid_image";

    /// <summary>422: the image decoded but holds no face.</summary>
    public const string NoFace = "no_face";

    /// <summary>422: with <c>liveness=require</c>, a subject face was judged a spoof or too blurry to judge.</summary>
    public const string NotLive = "not_live";

    /// <summary>503: the service's engine was set up without the anti-spoofing network.</summary>
    public const string LivenessUnavailable = "liveness_unavailable";

    /// <summary>400: a parameter, form field or JSON body is missing or invalid.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>404: the person is not enrolled.</summary>
    public const string UnknownPerson = "unknown_person";

    /// <summary>404: no such endpoint.</summary>
    public const string NotFound = "not_found";

    /// <summary>405: the endpoint exists but not for this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>414: the request target (path and query) is longer than the service accepts.</summary>
    public const string UriTooLong = "uri_too_long";

    /// <summary>431: the request headers are larger than the service accepts.</summary>
    public const string HeadersTooLarge = "headers_too_large";

    /// <summary>503: another process holds the gallery's write lock; retry later.</summary>
    public const string GalleryBusy = "gallery_busy";

    /// <summary>500: a fault on the server; the log has the details under the request id.</summary>
    public const string InternalError = "internal_error";
}
