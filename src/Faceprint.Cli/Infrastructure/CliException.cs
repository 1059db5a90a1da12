namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// An error the CLI raises itself, or a library error it re-labels, carrying the exit code to use:
/// the library's base <see cref="FaceprintException"/> alone does not say whether the input or the models are at fault.
/// </summary>
internal sealed class CliException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public CliException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    /// <summary>Creates the error with its cause.</summary>
    public CliException(string message, int exitCode, Exception inner) : base(message, inner) => ExitCode = exitCode;

    /// <summary>Exit code the process ends with.</summary>
    public int ExitCode { get; }
}
