using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// A fresh cluster of the machine's own PostgreSQL in a temporary folder, listening on 127.0.0.1 only, on a free
/// port, with durability switched off (nothing in it outlives the process). Stopping deletes the folder.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so when this process is root (CI is) the server binaries run as the
/// <c>postgres</c> account through <c>runuser</c>, in a folder handed to that account.
/// </remarks>
internal sealed class SystemPostgresCluster
{
    private const string ServiceAccount = "postgres";
    private const int StartAttempts = 3;

    private readonly string _binDirectory;
    private readonly string _folder;
    private readonly bool _asServiceAccount;

    private SystemPostgresCluster(string binDirectory, string folder, bool asServiceAccount, int port)
    {
        _binDirectory = binDirectory;
        _folder = folder;
        _asServiceAccount = asServiceAccount;
        Port = port;
    }

    /// <summary>TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "server.log");

    /// <summary>
    /// Null when the PostgreSQL in <paramref name="binDirectory"/> can serve pgvector: initdb, pg_ctl, postgres and
    /// pg_config are there and pg_config's share folder holds <c>extension/vector.control</c>. Otherwise why not.
    /// </summary>
    public static async Task<string?> WhyUnusableAsync(string binDirectory, CancellationToken cancellationToken)
    {
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres", "pg_config" })
        {
            if (!File.Exists(Path.Combine(binDirectory, tool)))
                return $"no PostgreSQL server binaries ({Path.Combine(binDirectory, tool)} not found)";
        }

        string share = await PgConfigAsync(binDirectory, "--sharedir", cancellationToken).ConfigureAwait(false);
        string control = Path.Combine(share, "extension", "vector.control");
        // Checked before initdb: a cluster started only to find CREATE EXTENSION failing costs seconds.
        return File.Exists(control) ? null : $"the PostgreSQL in {binDirectory} has no pgvector ({control} not found)";
    }

    /// <summary>initdb into a new temporary folder and start on a free port; a half-started cluster is removed.</summary>
    public static async Task<SystemPostgresCluster> StartAsync(string binDirectory, string superUser, CancellationToken cancellationToken)
    {
        bool asServiceAccount = Environment.IsPrivilegedProcess;
        var folder = Directory.CreateTempSubdirectory("faceprint-pg-").FullName;
        SystemPostgresCluster? cluster = null;
        try
        {
            if (asServiceAccount)
                await ProcessRunner.RunAsync("chown", [ServiceAccount + ":", folder], "hand the server folder to the postgres account", cancellationToken).ConfigureAwait(false);

            var init = new SystemPostgresCluster(binDirectory, folder, asServiceAccount, 0);
            await init.RunToolAsync("initdb", ["-D", init.DataDirectory, "-U", superUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
                "initdb", cancellationToken).ConfigureAwait(false);

            // A free port can be taken between asking and binding; a few tries make that race harmless.
            for (int attempt = 1; cluster is null; attempt++)
            {
                var candidate = new SystemPostgresCluster(binDirectory, folder, asServiceAccount, FreePort.OnLoopback());
                try
                {
                    await candidate.RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", candidate.DataDirectory, "-l", candidate.LogFile, "-o", candidate.ServerOptions()],
                        "start the server", cancellationToken).ConfigureAwait(false);
                    cluster = candidate;
                }
                catch (PostgresUnavailableException) when (attempt < StartAttempts)
                {
                }
            }

            return cluster;
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Stops the server (fast shutdown) and deletes its folder.</summary>
    public async Task StopAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", DataDirectory], "stop the server", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            DeleteFolder(_folder);
        }
    }

    // Durability off: the cluster is thrown away, and fsync per commit would dominate the tests' time.
    private string ServerOptions() => string.Create(CultureInfo.InvariantCulture,
        $"-c listen_addresses={IPAddress.Loopback} -c port={Port} -c unix_socket_directories={_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c maintenance_work_mem=512MB");

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_binDirectory, tool);
        return _asServiceAccount
            ? ProcessRunner.RunAsync("runuser", ["-u", ServiceAccount, "--", path, .. arguments], what, cancellationToken)
            : ProcessRunner.RunAsync(path, arguments, what, cancellationToken);
    }

    private static async Task<string> PgConfigAsync(string binDirectory, string option, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Combine(binDirectory, "pg_config"), option)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new PostgresUnavailableException($"cannot run {start.FileName}");
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return output.Trim();
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
