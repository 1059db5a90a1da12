using Faceprint.Storage;

namespace Faceprint.Cli.Infrastructure;

/// <summary>The model cache a command uses: --home when given, else FACEPRINT_HOME or the user cache folder.</summary>
internal static class HomeResolver
{
    /// <summary>Resolves the cache root; a missing home directory is a model problem (nowhere to keep models).</summary>
    public static FaceprintHome Resolve(string? home)
    {
        try
        {
            return home is null ? FaceprintHome.Default : new FaceprintHome(home);
        }
        catch (FaceprintException e)
        {
            throw new CliException(e.Message, ExitCodes.ModelProblem, e);
        }
    }
}
