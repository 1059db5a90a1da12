using Faceprint.Cli.Output;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>. Injected rather than
/// using <see cref="Console"/> so tests capture both streams in-process.
/// </summary>
internal sealed class CliOutput(TextWriter output, TextWriter error, bool errorIsTerminal)
{
    /// <summary>Results (text or JSON).</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Errors, notices and the progress bar.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Whether <see cref="Error"/> is an interactive terminal, the only place a live progress bar makes sense.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>
    /// Whether the command line asked for <c>--json</c>; set once parsed, so that an error also reaches stdout as
    /// JSON and a script reading stdout sees why there is no result.
    /// </summary>
    public bool Json { get; set; }

    /// <summary>Notices from the library (model pull, conversion), written as they happen.</summary>
    public IProgress<string> Log => new NoticeWriter(Error);

    /// <summary>
    /// Writes the single error line of a failed run to stderr and, under <c>--json</c>, the error object to stdout.
    /// </summary>
    public void WriteError(string message, int exitCode)
    {
        string line = ErrorClassifier.OneLine(message);
        Error.WriteLine($"faceprint: error: {line}");
        if (Json) JsonOutput.Write(Out, new ErrorReport(new ErrorJson(ExitCodes.Name(exitCode), exitCode, line)));
    }

    /// <summary>
    /// Reports a bug: the full exception on stderr (what a bug report needs) and, under <c>--json</c>, its one-line
    /// message as an <c>internal_error</c> on stdout.
    /// </summary>
    public void WriteInternalError(Exception error)
    {
        Error.WriteLine($"faceprint: internal error: {error}");
        if (Json) JsonOutput.Write(Out, new ErrorReport(new ErrorJson("internal_error", ExitCodes.Failure, ErrorClassifier.OneLine(error.Message))));
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and could print after the command has ended.
    private sealed class NoticeWriter(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"faceprint: {ErrorClassifier.OneLine(value)}");
    }
}
