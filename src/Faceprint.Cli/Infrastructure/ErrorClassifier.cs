using Faceprint.Engine;
using Faceprint.Gallery;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// Decides which exceptions are expected failures (reported as one line, no stack trace) and with which exit code.
/// Anything else is a bug and is left to the caller to report in full.
/// </summary>
internal static class ErrorClassifier
{
    /// <summary>Classifies <paramref name="error"/>; false when it is not an expected failure.</summary>
    public static bool TryClassify(Exception error, out int exitCode, out string message)
    {
        (exitCode, message) = error switch
        {
            CliException e => (e.ExitCode, e.Message),
            ImageLoadException or NoFaceException => (ExitCodes.BadInput, error.Message),
            // The --db or --person argument is wrong, not the gallery: an unknown or invalid person, a malformed connection
            // string, no gallery where a command reads one, or a gallery made for another model.
            UnknownPersonException or InvalidPersonIdException or GalleryConnectionException or GalleryNotFoundException or GalleryModelMismatchException => (ExitCodes.BadInput, error.Message),
            ModelFormatException => (ExitCodes.ModelProblem, error.Message),
            FaceprintException => (ExitCodes.Failure, error.Message),
            OperationCanceledException => (ExitCodes.Failure, "cancelled"),
            IOException or UnauthorizedAccessException => (ExitCodes.Failure, error.Message),
            _ => (0, ""),
        };
        message = OneLine(message);
        return exitCode != 0;
    }

    /// <summary>Folds a message onto one line so stderr carries exactly one line per error.</summary>
    public static string OneLine(string message) => string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
