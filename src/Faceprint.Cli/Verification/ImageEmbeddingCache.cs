using System.Collections.Concurrent;
using Faceprint.Engine;
using Faceprint.Imaging;

namespace Faceprint.Cli.Verification;

/// <summary>
/// Runs detect → align → embed on the subject face (the engine's face choice) of each distinct image exactly once (pairs files reuse
/// images heavily), images in parallel. Load failures and faceless images become outcomes, not errors, so one bad
/// file does not end a long evaluation; model errors still stop it.
/// </summary>
internal static class ImageEmbeddingCache
{
    /// <summary>Outcome for every path in <paramref name="paths"/> (duplicates allowed), keyed by the path as given.</summary>
    public static async Task<IReadOnlyDictionary<string, ImageOutcome>> EmbedAllAsync(
        FaceEngine engine, IEnumerable<string> paths, int parallelism, IProgressDisplay progress, CancellationToken ct)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        var outcomes = new ConcurrentDictionary<string, ImageOutcome>(StringComparer.Ordinal);
        await progress.RunAsync("embedding images", distinct.Count, advance =>
            Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (path, token) =>
            {
                outcomes[path] = await EmbedAsync(engine, path, token).ConfigureAwait(false);
                advance();
            }));
        return outcomes;
    }

    private static async Task<ImageOutcome> EmbedAsync(FaceEngine engine, string path, CancellationToken ct)
    {
        RgbImage image;
        try
        {
            image = await engine.LoadImageAsync(path, ct).ConfigureAwait(false);
        }
        catch (ImageLoadException e)
        {
            return ImageOutcome.Failed(e.Message);
        }
        try
        {
            return ImageOutcome.Embedded(engine.EmbedSubject(image, path, ct: ct));
        }
        catch (NoFaceException)
        {
            return ImageOutcome.NoFace;
        }
    }
}
