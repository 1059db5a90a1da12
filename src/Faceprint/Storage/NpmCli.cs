using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Faceprint.Storage;

/// <summary>
/// Downloads tarballs by running <c>npm pack</c>, so the registry, proxy and auth settings the user already
/// configured for npm apply, and Faceprint itself never opens a network connection.
/// </summary>
public sealed class NpmCli : INpmClient
{
    /// <summary>The error shown when npm cannot be run.</summary>
    internal const string NotFoundMessage =
        "npm not found on PATH: install Node.js/npm (Debian: apt-get install npm) to pull the default models, " +
        "or set FACEPRINT_HOME to a folder that already holds them";

    private readonly string? _executablePath;

    /// <summary>Creates the client.</summary>
    /// <param name="executablePath">The npm executable; <see langword="null"/> looks <c>npm</c> up on <c>PATH</c> when first needed.</param>
    /// <param name="timeout">Longest one <c>npm pack</c> may run before it is killed; 5 minutes by default.</param>
    public NpmCli(string? executablePath = null, TimeSpan? timeout = null)
    {
        var t = timeout ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        _executablePath = executablePath;
        Timeout = t;
    }

    /// <summary>Longest one <c>npm pack</c> may run before it is killed.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public async Task<string> PackAsync(string name, string version, string destinationDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationDirectory);
        var destination = Path.GetFullPath(destinationDirectory);
        var spec = $"{name}@{version}";
        var npm = _executablePath is null ? FindOnPath() : File.Exists(_executablePath) ? _executablePath : null;
        if (npm is null)
            throw new FaceprintException(NotFoundMessage);

        var start = new ProcessStartInfo(npm)
        {
            // The destination as working directory keeps a project .npmrc/package.json around the caller out of play.
            WorkingDirectory = destination,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // --json gives the tarball name on success and a summary on failure; --silent keeps npm's log off stderr.
        foreach (var arg in new[] { "pack", spec, "--pack-destination", destination, "--silent", "--json", "--ignore-scripts" })
            start.ArgumentList.Add(arg);
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new FaceprintException(NotFoundMessage, e);
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        // Both pipes are drained concurrently so a chatty npm cannot block on a full buffer.
        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // npm spawns helpers; killing only the parent would leave them writing into the cache.
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* already exited */ }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FaceprintException($"npm pack {spec} timed out after {Timeout.TotalSeconds:0} s and was stopped");
        }

        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var reason = ErrorSummary(stdout) ?? FirstLine(stderr) ?? "no error output";
            throw new FaceprintException($"npm pack {spec} failed (exit code {process.ExitCode}): {reason}");
        }

        // Only the file name is taken from npm's output, so it cannot point outside the destination.
        var fileName = Path.GetFileName(TarballName(stdout) ?? $"{name.TrimStart('@').Replace('/', '-')}-{version}.tgz");
        var tarball = Path.Combine(destination, fileName);
        if (!File.Exists(tarball))
            throw new FaceprintException($"npm pack {spec} succeeded but {tarball} is missing");
        return tarball;
    }

    private static string? FindOnPath()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "npm.cmd", "npm.exe" } : ["npm"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate) && IsExecutable(candidate))
                    return candidate;
            }
        }
        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);

    /// <summary>Reads <c>[{"filename": …}]</c> from <c>npm pack --json</c>; null when the output is not that shape.</summary>
    private static string? TarballName(string stdout)
    {
        using var json = TryParse(stdout);
        if (json is { RootElement.ValueKind: JsonValueKind.Array } && json.RootElement.GetArrayLength() > 0 &&
            json.RootElement[0].ValueKind == JsonValueKind.Object &&
            json.RootElement[0].TryGetProperty("filename", out var fileName) && fileName.ValueKind == JsonValueKind.String)
            return fileName.GetString();
        return null;
    }

    /// <summary>Reads <c>{"error": {"summary": …}}</c>, which npm prints instead of stderr text under <c>--silent --json</c>.</summary>
    private static string? ErrorSummary(string stdout)
    {
        using var json = TryParse(stdout);
        if (json is { RootElement.ValueKind: JsonValueKind.Object } &&
            json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
            error.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.String)
            return FirstLine(summary.GetString() ?? "");
        return null;
    }

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
