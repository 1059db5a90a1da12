using System.Diagnostics;

namespace Faceprint.Gallery.Postgres;

/// <summary>Runs a short-lived helper (initdb, pg_ctl, chown) and turns a failure into <see cref="PostgresUnavailableException"/>.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> to completion; a non-zero exit throws with the last lines of its output.</summary>
    /// <param name="file">Executable.</param>
    /// <param name="arguments">Its arguments, passed without a shell.</param>
    /// <param name="what">What the run is for, completing "cannot ..." in the error.</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled.</param>
    public static async Task RunAsync(string file, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The temp area, not ours: as the postgres account our working directory may be unreadable.
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

    /// <summary>The last three non-empty lines of <paramref name="text"/>, joined with " | " for a one-line message.</summary>
    public static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    /// <summary>Full path of <paramref name="name"/> in a <c>PATH</c> folder, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
