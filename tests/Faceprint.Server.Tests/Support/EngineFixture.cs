using Faceprint.Engine;
using Faceprint.Tests.Support;

namespace Faceprint.Server.Tests.Support;

/// <summary>
/// One engine on the default models (pulled once into the repository's ignored cache) shared by every server the
/// tests start, as one process would share it in production.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private FaceEngine? _engine;

    /// <summary>The shared engine.</summary>
    public FaceEngine Engine => _engine ?? throw new InvalidOperationException("fixture not initialised");

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _engine = await FaceEngine.CreateAsync(new FaceEngineOptions { Home = TestPaths.ModelHome, Threads = 1, Liveness = true });

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _engine?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Tests that start servers on the shared engine; they run one class at a time (the machine has few cores).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<EngineFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "server";
}
