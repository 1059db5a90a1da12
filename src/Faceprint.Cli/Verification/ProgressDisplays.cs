using Faceprint.Cli.Infrastructure;

namespace Faceprint.Cli.Verification;

/// <summary>Chooses how a long command shows progress, from where stderr goes.</summary>
internal static class ProgressDisplays
{
    /// <summary>
    /// A live bar on an interactive stderr (unless <paramref name="json"/>, where a script is likely watching), progress
    /// lines otherwise: stderr is never silent for minutes, and stdout keeps only the results.
    /// </summary>
    public static IProgressDisplay For(CliOutput output, bool json) =>
        output.ErrorIsTerminal && !json ? new SpectreProgressDisplay(output.Error) : new LineProgressDisplay(output.Error);
}
