using System.Collections.Concurrent;

namespace Faceprint.Core.Weights;

/// <summary>
/// Checks model files on disk (both checksums, the whole format) at most once per process for each version of a
/// file: a file seen to verify is trusted again while its size and modification time stay the same.
/// </summary>
public static class VerifiedModelFiles
{
    /// <summary>The problem <see cref="Problem"/> reports for a file that does not exist.</summary>
    public const string Missing = "model file not found";

    private static readonly ConcurrentDictionary<string, (long Size, DateTime ModifiedUtc)> Verified = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="path"/> is a sound model file, else why not (missing, truncated, checksum mismatch…).</summary>
    public static string? Problem(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
            return Missing;
        var stamp = (info.Length, info.LastWriteTimeUtc);
        if (Verified.TryGetValue(full, out var seen) && seen == stamp)
            return null;
        try
        {
            ModelFile.Load(full);
        }
        catch (ModelFormatException e)
        {
            // Load prefixes the path; the caller names the file itself.
            return e.InnerException?.Message ?? e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        Verified[full] = stamp;
        return null;
    }

    /// <summary>Records <paramref name="path"/>, just written from a verified source, as sound in its current version.</summary>
    public static void MarkVerified(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (info.Exists)
            Verified[info.FullName] = (info.Length, info.LastWriteTimeUtc);
    }
}
