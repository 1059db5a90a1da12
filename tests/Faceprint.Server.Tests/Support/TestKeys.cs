using Faceprint.Server.Configuration;

namespace Faceprint.Server.Tests.Support;

/// <summary>The API keys test servers accept.</summary>
internal static class TestKeys
{
    public static readonly ApiKey Alice = new("alice", "alice-secret-" + Guid.NewGuid().ToString("N"));

    public static readonly ApiKey Bob = new("bob", "bob-secret-" + Guid.NewGuid().ToString("N"));
}
