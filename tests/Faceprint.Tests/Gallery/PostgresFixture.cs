using Faceprint.Gallery.Postgres;

namespace Faceprint.Tests.Gallery;

/// <summary>
/// One throwaway PostgreSQL server with pgvector for every test in <see cref="PostgresCollection"/>; each test takes
/// a fresh database from it. Missing binaries or pgvector fail every such test with the reason (scripts/setup.sh
/// installs both), rather than skipping them unnoticed.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private ScratchPostgresServer? _server;

    /// <summary>The running server.</summary>
    public ScratchPostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    /// <summary>A new empty database's connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await ScratchPostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>The tests that share <see cref="PostgresFixture"/>'s server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "PostgreSQL";
}
