using System.Globalization;
using System.Net;
using Npgsql;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// A private, throwaway PostgreSQL server with pgvector for tests and benchmarks, on 127.0.0.1 and a free port, whose
/// contents do not outlive it. Disposing stops it and removes what it wrote. The system's own cluster and service are
/// never touched.
/// </summary>
/// <remarks>
/// Two backends, chosen at start: the machine's PostgreSQL when pgvector is installed for it (a fresh
/// <c>initdb</c> cluster, <see cref="ScratchPostgresBackend.SystemPostgres"/>), otherwise PGlite, PostgreSQL in
/// WebAssembly with pgvector, from the npm install that <c>scripts/setup.sh</c> makes where the apt sources have no
/// pgvector package (<see cref="ScratchPostgresBackend.Pglite"/>; Debian 12 is such a system).
/// </remarks>
public sealed class ScratchPostgresServer : IAsyncDisposable, IDisposable
{
    /// <summary>Where Debian's postgresql-15 package puts the server binaries.</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>Environment variable naming another folder with initdb, pg_ctl, postgres and pg_config.</summary>
    public const string BinDirectoryVariable = "FACEPRINT_PG_BIN";

    /// <summary>
    /// Environment variable naming the PGlite fallback's npm folder when <see cref="StartAsync"/> is not given one
    /// (the repository's <c>./faceprint</c> sets it to the checkout's <c>.cache/pglite</c>).
    /// </summary>
    public const string PgliteFolderVariable = "FACEPRINT_PGLITE";

    private const string SuperUser = "postgres";
    private const string InstallHint = "run scripts/setup.sh: it installs postgresql-15-pgvector where the apt sources have it, and otherwise the PGlite fallback into .cache/pglite";

    private readonly SystemPostgresCluster? _cluster;
    private readonly PgliteServer? _pglite;
    private int _databases;
    private bool _stopped;

    private ScratchPostgresServer(SystemPostgresCluster? cluster, PgliteServer? pglite)
    {
        _cluster = cluster;
        _pglite = pglite;
        Port = cluster?.Port ?? pglite!.Port;
        Backend = cluster is null ? ScratchPostgresBackend.Pglite : ScratchPostgresBackend.SystemPostgres;
    }

    /// <summary>Which server runs: the machine's PostgreSQL or the PGlite fallback.</summary>
    public ScratchPostgresBackend Backend { get; }

    /// <summary>TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    /// <summary>Npgsql connection string of the <c>postgres</c> database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>
    /// Starts a server: the machine's PostgreSQL if pgvector is installed for it (binaries from
    /// <see cref="DefaultBinDirectory"/> or <see cref="BinDirectoryVariable"/>), else the PGlite fallback from
    /// <paramref name="pgliteFolder"/> (or <see cref="PgliteFolderVariable"/>), with <c>CREATE EXTENSION vector</c> done.
    /// </summary>
    /// <param name="pgliteFolder">npm folder of the PGlite fallback; null reads <see cref="PgliteFolderVariable"/>.</param>
    /// <param name="cancellationToken">Cancels the start; a half-started server is stopped and removed.</param>
    /// <exception cref="PostgresUnavailableException">Neither backend is installed, or the server would not start.</exception>
    public static async Task<ScratchPostgresServer> StartAsync(string? pgliteFolder = null, CancellationToken cancellationToken = default)
    {
        string bin = Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } custom ? custom : DefaultBinDirectory;
        string? whyNotSystem = await SystemPostgresCluster.WhyUnusableAsync(bin, cancellationToken).ConfigureAwait(false);
        ScratchPostgresServer server;
        if (whyNotSystem is null)
        {
            server = new ScratchPostgresServer(await SystemPostgresCluster.StartAsync(bin, SuperUser, cancellationToken).ConfigureAwait(false), null);
        }
        else
        {
            string? folder = pgliteFolder ?? Environment.GetEnvironmentVariable(PgliteFolderVariable);
            if (PgliteServer.WhyUnusable(folder) is { } whyNotPglite)
                throw new PostgresUnavailableException($"no PostgreSQL with pgvector to start: {whyNotSystem}, and {whyNotPglite}; {InstallHint}");
            server = new ScratchPostgresServer(null, await PgliteServer.StartAsync(Path.GetFullPath(folder!), cancellationToken).ConfigureAwait(false));
        }

        try
        {
            // In template1 on a real cluster, so that every database made later has it.
            await server.InstallVectorAsync(server.Backend == ScratchPostgresBackend.SystemPostgres ? "template1" : "postgres", cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Npgsql connection string of <paramref name="database"/> on this server, as the superuser.</summary>
    /// <remarks>
    /// PGlite serves one database whatever the name, and runs every connection on its one backend session. It keeps
    /// an explicit transaction to the connection that began it, but outside one it interleaves the protocol messages
    /// of connections that send at once, so one connection's Bind can meet another's Parse. There the string allows
    /// one connection per pool (Npgsql queues the pool's users instead) and skips the reset on pool return
    /// (<c>DISCARD ALL</c> would act on the session every connection shares).
    /// </remarks>
    public string ConnectionString(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = Port,
            Username = SuperUser,
            Database = database,
        };
        if (Backend == ScratchPostgresBackend.Pglite)
        {
            builder.MaxPoolSize = 1;
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// An empty database (pgvector installed) and its connection string. On PGlite, which has only one database,
    /// that database is emptied and returned: what an earlier call returned is then gone, so use one at a time.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        if (_pglite is not null)
        {
            await ExecuteAsync("postgres", "DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE EXTENSION vector", cancellationToken).ConfigureAwait(false);
            return AdminConnectionString;
        }

        string name = "faceprint_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}", cancellationToken).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Stops the server and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
            await _cluster.StopAsync().ConfigureAwait(false);
        if (_pglite is not null)
            await _pglite.StopAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task InstallVectorAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(database, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported)
        {
            throw new PostgresUnavailableException($"the pgvector extension cannot be created on the {Backend} server ({InstallHint}): {e.MessageText}", e);
        }
    }

    // Without pooling: an idle admin connection would hold one of PGlite's few connection slots.
    private async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Pooling = false };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
