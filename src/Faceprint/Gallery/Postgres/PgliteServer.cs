using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// PGlite (PostgreSQL compiled to WebAssembly, with pgvector) run by Node.js through pglite-socket's server script,
/// listening on 127.0.0.1 and a free port, database in memory. Stopping kills the Node process tree; nothing is
/// left on disk.
/// </summary>
/// <remarks>
/// The npm packages come from the folder <c>scripts/setup.sh</c> installs them into
/// (<c>npm install --prefix FOLDER @electric-sql/pglite-socket</c> and friends); Faceprint never runs npm for this.
/// </remarks>
internal sealed class PgliteServer
{
    /// <summary>Connections the server accepts at once (pglite-socket's default is one); more are refused.</summary>
    public const int MaxConnections = 8;

    private const string ServerScript = "node_modules/@electric-sql/pglite-socket/dist/scripts/server.js";
    private const string VectorPackage = "node_modules/@electric-sql/pglite-pgvector/package.json";
    private const string ReadyLine = "PGLiteSocketServer listening";
    private const int StartAttempts = 3;
    private const int OutputLinesKept = 20;
    // Loading the WebAssembly build takes seconds; on a busy two-core machine well over ten.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;

    private PgliteServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    /// <summary>Null when <paramref name="folder"/> holds the PGlite server and pgvector and Node.js is on PATH; otherwise why not.</summary>
    public static string? WhyUnusable(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
            return $"no PGlite fallback folder given ({ScratchPostgresServer.PgliteFolderVariable} is not set)";
        foreach (var file in new[] { ServerScript, VectorPackage })
        {
            if (!File.Exists(Path.Combine(folder, file)))
                return $"the PGlite fallback is not installed ({Path.Combine(folder, file)} not found)";
        }

        return ProcessRunner.FindOnPath("node") is null ? "Node.js (node) is not on PATH for the PGlite fallback" : null;
    }

    /// <summary>Starts the server from <paramref name="folder"/> and waits until it listens.</summary>
    /// <exception cref="PostgresUnavailableException">It exited or did not listen within two minutes.</exception>
    public static async Task<PgliteServer> StartAsync(string folder, CancellationToken cancellationToken)
    {
        // A free port can be taken between asking and binding; the server then exits and the next try picks another.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(folder, FreePort.OnLoopback(), cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresUnavailableException) when (attempt < StartAttempts)
            {
            }
        }
    }

    /// <summary>Kills the Node process tree and waits for it to end.</summary>
    public async Task StopAsync()
    {
        using (_process)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has already exited.
            }

            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<PgliteServer> TryStartAsync(string folder, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ProcessRunner.FindOnPath("node") ?? "node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in new[]
        {
            Path.Combine(folder, ServerScript),
            string.Create(CultureInfo.InvariantCulture, $"--port={port}"),
            $"--host={IPAddress.Loopback}",
            "--extensions=@electric-sql/pglite-pgvector:vector",
            string.Create(CultureInfo.InvariantCulture, $"--max-connections={MaxConnections}"),
        })
            start.ArgumentList.Add(argument);

        var output = new Queue<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // Read for the server's whole life: it logs every connection, and a full pipe would stall it.
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
            {
                output.Enqueue(e.Data);
                if (output.Count > OutputLinesKept)
                    output.Dequeue();
            }

            if (e.Data.Contains(ReadyLine, StringComparison.Ordinal))
                ready.TrySetResult();
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Exited += (_, _) => ready.TrySetException(new PostgresUnavailableException(
            $"the PGlite server exited (code {process.ExitCode}): {Tail(output)}"));

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new PostgresUnavailableException($"cannot start the PGlite server with {start.FileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PgliteServer(process, port);
        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch (TimeoutException)
        {
            await server.StopAsync().ConfigureAwait(false);
            throw new PostgresUnavailableException($"the PGlite server did not listen within {StartTimeout.TotalSeconds:F0} s: {Tail(output)}");
        }
        catch
        {
            await server.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Tail(Queue<string> output)
    {
        lock (output)
            return ProcessRunner.LastLines(string.Join('\n', output));
    }
}
