using Faceprint.Server.Errors;

namespace Faceprint.Server.Endpoints;

/// <summary>OpenAPI declarations shared by the endpoints.</summary>
internal static class EndpointMetadata
{
    /// <summary>Declares the error statuses an endpoint may answer with, each with an <see cref="ApiProblem"/> body.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses)
            builder.Produces<ApiProblem>(status, ProblemResponder.ContentType);
        return builder;
    }

    /// <summary>Declares the errors every /v1 endpoint may give: bad key, rate limit, body too large.</summary>
    public static RouteHandlerBuilder ProducesCommonErrors(this RouteHandlerBuilder builder) =>
        builder.ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests);

    /// <summary>Marks the endpoint as taking images, for the OpenAPI request body.</summary>
    public static RouteHandlerBuilder AcceptsImages(this RouteHandlerBuilder builder, ImageBody body) =>
        builder.WithMetadata(body).ProducesErrors(StatusCodes.Status415UnsupportedMediaType);
}
