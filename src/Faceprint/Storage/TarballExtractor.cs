using System.Formats.Tar;
using System.IO.Compression;

namespace Faceprint.Storage;

/// <summary>
/// Pulls chosen files out of a <c>.tgz</c> into one folder, all or nothing: each file is staged under a temporary
/// name and only moved into place once every wanted file was found, so an error or crash never leaves a
/// half-written or partial set behind.
/// </summary>
internal static class TarballExtractor
{
    /// <summary>
    /// Extracts <paramref name="wanted"/> (paths inside the tarball) into <paramref name="directory"/>, each under its file name.
    /// </summary>
    /// <returns>The final paths, in the order of <paramref name="wanted"/>.</returns>
    /// <exception cref="FaceprintException">An entry has an unsafe path, a wanted file is missing or not a regular file, or the archive is corrupt.</exception>
    public static async Task<IReadOnlyList<string>> ExtractAsync(
        string tarball, IReadOnlyList<string> wanted, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var tarballName = Path.GetFileName(tarball);
        var staged = new Dictionary<string, string>(StringComparer.Ordinal);
        var moved = false;
        try
        {
            try
            {
                await StageAsync(tarball, tarballName, wanted, directory, staged, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new FaceprintException($"{tarballName} is not a valid .tgz: {e.Message.Split('\n')[0].Trim()}", e);
            }

            var missing = wanted.Where(w => !staged.ContainsKey(w)).ToList();
            if (missing.Count > 0)
                throw new FaceprintException($"{tarballName} lacks {string.Join(", ", missing)}");

            var result = new List<string>(wanted.Count);
            foreach (var path in wanted)
            {
                var target = Path.Combine(directory, NpmPackageSource.FileNameOf(path));
                File.Move(staged[path], target, overwrite: true);
                result.Add(target);
            }
            moved = true;
            return result;
        }
        finally
        {
            if (!moved)
            {
                foreach (var temp in staged.Values)
                    TryDelete(temp);
            }
        }
    }

    /// <summary>Writes each wanted entry to a temporary file in <paramref name="directory"/>, recording it in <paramref name="staged"/>.</summary>
    private static async Task StageAsync(
        string tarball, string tarballName, IReadOnlyList<string> wanted, string directory,
        Dictionary<string, string> staged, CancellationToken cancellationToken)
    {
        var wantedSet = new HashSet<string>(wanted, StringComparer.Ordinal);
        await using var file = new FileStream(tarball, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        // copyData: false streams each entry's data straight from the archive instead of buffering it.
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // Every entry is checked, not only wanted ones: a tarball carrying a traversal path is not one to trust.
            if (IsUnsafePath(entry.Name))
                throw new FaceprintException($"refusing unsafe path in {tarballName}: {entry.Name}");
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (!wantedSet.Contains(name))
                continue;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                throw new FaceprintException($"{name} in {tarballName} is not a regular file ({entry.EntryType})");

            // A repeated entry replaces the earlier one, as tar itself does.
            if (staged.Remove(name, out var previous))
                TryDelete(previous);
            var temp = Path.Combine(directory, $".{NpmPackageSource.FileNameOf(name)}.{Guid.NewGuid():N}.tmp");
            staged[name] = temp;
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            if (entry.DataStream is not null)
                await entry.DataStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True for a path that could escape the extraction folder: rooted, drive-qualified, or with a <c>..</c> segment.</summary>
    public static bool IsUnsafePath(string path) =>
        path.Length == 0 || path[0] is '/' or '\\' || Path.IsPathRooted(path) ||
        (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])) ||
        path.Split('/', '\\').Any(segment => segment == "..");

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* best effort: a leftover .tmp is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
