namespace Faceprint.Server.Logging;

/// <summary>Service lifecycle log events.</summary>
internal static partial class ServerLog
{
    /// <summary>Category of the lifecycle events.</summary>
    public const string Category = "Faceprint.Server";

    /// <summary>The service accepts requests; <paramref name="urls"/> are the bound addresses (a port 0 resolved).</summary>
    [LoggerMessage(EventId = 10, EventName = "Listening", Level = LogLevel.Information,
        Message = "listening on {Urls} (model {Model}, gallery {Gallery}, {KeyCount} API keys)")]
    public static partial void Listening(ILogger logger, string urls, string model, string gallery, int keyCount);

    /// <summary>The service stopped taking requests and is draining.</summary>
    [LoggerMessage(EventId = 11, EventName = "Stopping", Level = LogLevel.Information, Message = "stopping")]
    public static partial void Stopping(ILogger logger);
}
