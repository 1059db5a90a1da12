namespace Faceprint.Cli.Verification;

/// <summary>No progress output: for --json, pipes, logs and tests, where a redrawn bar would be noise.</summary>
internal sealed class SilentProgressDisplay : IProgressDisplay
{
    /// <summary>The shared instance.</summary>
    public static SilentProgressDisplay Instance { get; } = new();

    /// <inheritdoc />
    public Task RunAsync(string description, int total, Func<Action, Task> work) => work(() => { });
}
