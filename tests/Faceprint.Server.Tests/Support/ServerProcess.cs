using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Faceprint.Server.Configuration;

namespace Faceprint.Server.Tests.Support;

/// <summary>
/// <c>faceprint serve</c> as a separate OS process, started from the CLI build of this test run, so tests can
/// kill it for real. Dispose always kills what is still running.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    /// <summary>The CLI dll that the build of this project recorded (see the project file).</summary>
    public static string CliDll { get; } = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FaceprintCliDll").Value!;

    /// <summary>Where the server listens, from its "Listening" log event.</summary>
    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException("not listening");

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>Every stdout line so far (the JSON log).</summary>
    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr => string.Join('\n', _stderr);

    /// <summary>Starts <c>faceprint ARGS</c> with <paramref name="environment"/> added (a null value removes a variable), in <paramref name="workingDirectory"/> if given.</summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove(ServerConfigFile.ApiKeysVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                server._stderr.Enqueue(e.Data);
        };
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("the server exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the "Listening" event; fails with the server's stderr if it exits or takes too long.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"server not listening: {e.Message}\nstderr: {Stderr}\nstdout: {string.Join('\n', _stdout)}", e);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush or clean up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: asks for a graceful shutdown.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null)
            return;
        _stdout.Enqueue(line);
        if (!line.Contains("\"Listening\"", StringComparison.Ordinal) && !line.Contains("\"EventId\":10,", StringComparison.Ordinal))
            return;
        var log = JsonDocument.Parse(line).RootElement;
        if (log.GetProperty("Category").GetString() == "Faceprint.Server" && log.GetProperty("EventId").GetInt32() == 10)
            _listening.TrySetResult(new Uri(log.GetProperty("State").GetProperty("Urls").GetString()!.Split(' ')[0]));
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
