namespace Faceprint.Server.Configuration;

/// <summary>The service cannot start as configured: a missing key, an unreadable config file, a bad limit.</summary>
public sealed class ServerConfigurationException : FaceprintException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public ServerConfigurationException(string message) : base(message) { }

    /// <summary>Creates the error with a one-line message and its cause.</summary>
    public ServerConfigurationException(string message, Exception inner) : base(message, inner) { }
}
