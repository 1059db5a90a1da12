using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// A private, throwaway PostgreSQL server with pgvector for tests and benchmarks: a fresh cluster in a temporary
/// folder, listening on 127.0.0.1 only, on a free port, with durability switched off (nothing in it outlives the
/// process). Disposing stops it and deletes the folder. The system's own cluster and service are never touched.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so when this process is root (CI is) the server binaries run as the
/// <c>postgres</c> account through <c>runuser</c>, in a folder handed to that account.
/// </remarks>
public sealed class ScratchPostgresServer : IAsyncDisposable, IDisposable
{
    /// <summary>Where Debian's postgresql-15 package puts the server binaries.</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>Environment variable naming another folder with initdb, pg_ctl and postgres.</summary>
    public const string BinDirectoryVariable = "FACEPRINT_PG_BIN";

    private const string SuperUser = "postgres";
    private const string ServiceAccount = "postgres";
    private const int StartAttempts = 3;
    private const string InstallHint = "scripts/setup.sh installs postgresql-15 and postgresql-15-pgvector where the apt sources have them";

    private readonly string _binDirectory;
    private readonly string _folder;
    private readonly bool _asServiceAccount;
    private int _databases;
    private bool _stopped;

    private ScratchPostgresServer(string binDirectory, string folder, bool asServiceAccount, int port)
    {
        _binDirectory = binDirectory;
        _folder = folder;
        _asServiceAccount = asServiceAccount;
        Port = port;
    }

    /// <summary>TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    /// <summary>Npgsql connection string of the <c>postgres</c> database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    private string DataDirectory => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "server.log");

    /// <summary>
    /// Creates, starts and prepares a server: initdb into a new temporary folder, start on a free port, and
    /// <c>CREATE EXTENSION vector</c> in <c>template1</c> so every database made later has it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start; a half-started server is stopped and removed.</param>
    /// <exception cref="PostgresUnavailableException">The binaries or pgvector are missing, or the server would not start.</exception>
    public static async Task<ScratchPostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        string bin = Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } custom ? custom : DefaultBinDirectory;
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(bin, tool)))
                throw new PostgresUnavailableException($"PostgreSQL server binary {Path.Combine(bin, tool)} not found ({InstallHint}; {BinDirectoryVariable} names another folder)");
        }

        bool asServiceAccount = Environment.IsPrivilegedProcess;
        var folder = Directory.CreateTempSubdirectory("faceprint-pg-").FullName;
        ScratchPostgresServer? server = null;
        try
        {
            if (asServiceAccount)
                await RunAsync("chown", [ServiceAccount + ":", folder], "hand the server folder to the postgres account", cancellationToken).ConfigureAwait(false);

            var init = new ScratchPostgresServer(bin, folder, asServiceAccount, 0);
            await init.RunToolAsync("initdb", ["-D", init.DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
                "initdb", cancellationToken).ConfigureAwait(false);

            // A free port can be taken between asking and binding; a few tries make that race harmless.
            for (int attempt = 1; server is null; attempt++)
            {
                var candidate = new ScratchPostgresServer(bin, folder, asServiceAccount, FreePort());
                try
                {
                    await candidate.RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", candidate.DataDirectory, "-l", candidate.LogFile, "-o", candidate.ServerOptions()],
                        "start the server", cancellationToken).ConfigureAwait(false);
                    server = candidate;
                }
                catch (PostgresUnavailableException) when (attempt < StartAttempts)
                {
                }
            }

            await server.InstallVectorAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            if (server is not null)
                await server.DisposeAsync().ConfigureAwait(false);
            else
                DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Npgsql connection string of <paramref name="database"/> on this server, as the superuser.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates an empty database (pgvector already installed) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        string name = "faceprint_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunToolAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", DataDirectory], "stop the server", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            DeleteFolder(_folder);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // Durability off: the cluster is thrown away, and fsync per commit would dominate the tests' time.
    private string ServerOptions() => string.Create(CultureInfo.InvariantCulture,
        $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c maintenance_work_mem=512MB");

    private async Task InstallVectorAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("template1"));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported)
        {
            throw new PostgresUnavailableException($"the pgvector extension is not installed for the PostgreSQL in {_binDirectory} ({InstallHint}): {e.MessageText}", e);
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_binDirectory, tool);
        return _asServiceAccount
            ? RunAsync("runuser", ["-u", ServiceAccount, "--", path, .. arguments], what, cancellationToken)
            : RunAsync(path, arguments, what, cancellationToken);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's own folder, not ours: as the postgres account our working directory may be unreadable.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PostgresUnavailableException($"cannot {what}: {file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PostgresUnavailableException($"cannot {what}: {file}: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            string output = (await stderr.ConfigureAwait(false)).Trim() is { Length: > 0 } err ? err : (await stdout.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
                throw new PostgresUnavailableException($"cannot {what} (exit {process.ExitCode}): {LastLines(output)}");
        }
    }

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A server that would not stop may still hold files; the folder is in the temp area either way.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
