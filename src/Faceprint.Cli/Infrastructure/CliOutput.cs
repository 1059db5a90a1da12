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

    /// <summary>Notices from the library (model pull, conversion), written as they happen.</summary>
    public IProgress<string> Log => new NoticeWriter(Error);

    /// <summary>Writes the single error line of a failed run.</summary>
    public void WriteError(string message) => Error.WriteLine($"faceprint: error: {ErrorClassifier.OneLine(message)}");

    // Synchronous, unlike Progress<T>, which posts to the thread pool and could print after the command has ended.
    private sealed class NoticeWriter(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"faceprint: {ErrorClassifier.OneLine(value)}");
    }
}
