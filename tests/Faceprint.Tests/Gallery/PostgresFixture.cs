using Faceprint.Gallery.Postgres;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Gallery;

/// <summary>
/// One throwaway PostgreSQL server with pgvector for every test in <see cref="PostgresCollection"/>; each test takes
/// a fresh database from it (one at a time: on PGlite that is the one database, emptied). The server is the system
/// PostgreSQL where pgvector is installed for it, otherwise PGlite from the checkout's <c>.cache/pglite</c>. With
/// neither, every such test fails with the reason and what to run (scripts/setup.sh), rather than skipping unnoticed.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>Where scripts/setup.sh installs the PGlite fallback: the checkout's ignored .cache folder.</summary>
    public static string PgliteFolder => Path.Combine(TestPaths.RepoRoot, ".cache", "pglite");

    private ScratchPostgresServer? _server;

    /// <summary>The running server.</summary>
    public ScratchPostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    /// <summary>A new empty database's connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await ScratchPostgresServer.StartAsync(PgliteFolder);

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
