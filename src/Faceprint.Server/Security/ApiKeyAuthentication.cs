namespace Faceprint.Server.Security;

/// <summary>Names shared by the API-key scheme, the authorization policy and the logs.</summary>
public static class ApiKeyAuthentication
{
    /// <summary>Authentication scheme name.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>Header that carries the key; <c>Authorization: Bearer KEY</c> works too.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>Claim holding the id (never the secret) of the key a request used.</summary>
    public const string KeyIdClaim = "faceprint:key_id";
}
