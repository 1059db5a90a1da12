namespace Faceprint.Server.Errors;

/// <summary>A request the endpoint refuses, with the status and <see cref="ErrorCodes">code</see> to answer with.</summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error; <paramref name="message"/> becomes the problem's detail.</summary>
    public ApiException(int status, string code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Machine-readable reason.</summary>
    public string Code { get; }

    /// <summary>A 400 <see cref="ErrorCodes.InvalidRequest"/>.</summary>
    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message);
}
