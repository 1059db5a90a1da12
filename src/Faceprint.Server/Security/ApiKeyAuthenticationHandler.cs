using System.Security.Claims;
using System.Text.Encodings.Web;
using Faceprint.Server.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Faceprint.Server.Security;

/// <summary>
/// Authenticates a request by the key in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>. The principal carries
/// the key's id, which the logs and the per-key rate limiter use; the key itself goes no further than the hash.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = PresentedKey(Request);
        if (presented is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        string? id = keys.FindId(presented);
        if (id is null)
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));

        var identity = new ClaimsIdentity([new Claim(ApiKeyAuthentication.KeyIdClaim, id), new Claim(ClaimTypes.Name, id)], ApiKeyAuthentication.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        string detail = PresentedKey(Request) is null
            ? $"missing API key: send it in the {ApiKeyAuthentication.HeaderName} header or as Authorization: Bearer KEY"
            : "invalid API key";
        return ProblemResponder.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, detail);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        string? key = request.Headers[ApiKeyAuthentication.HeaderName];
        if (!string.IsNullOrEmpty(key))
            return key;
        string? authorization = request.Headers[HeaderNames.Authorization];
        const string bearer = "Bearer ";
        if (authorization is not null && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            string token = authorization[bearer.Length..].Trim();
            return token.Length == 0 ? null : token;
        }

        return null;
    }
}
