using System.Security.Cryptography;

namespace Faceprint.Storage;

/// <summary>
/// Makes the wanted files of a pinned npm package available in the cache: downloads the tarball once with
/// <see cref="INpmClient"/>, checks it against the pinned SHA-256 and extracts only the wanted files.
/// Safe to call from several processes at once; later calls are served from the cache without npm.
/// </summary>
public sealed class NpmPackageFetcher
{
    /// <summary>
    /// Name of the file, inside a package folder, that records the verified tarball SHA-256 (first line) and, one line
    /// per extracted file, that file's SHA-256, size and name, so a damaged file is noticed and extracted again.
    /// </summary>
    public const string MarkerFileName = ".verified-sha256";

    private readonly INpmClient _npm;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="home">Cache to use.</param>
    /// <param name="npm">How tarballs are downloaded; <see cref="NpmCli"/> (npm on PATH) by default.</param>
    /// <param name="lockTimeout">How long to wait for another process pulling the same package; 10 minutes by default.</param>
    public NpmPackageFetcher(FaceprintHome home, INpmClient? npm = null, TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        var t = lockTimeout ?? TimeSpan.FromMinutes(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, nameof(lockTimeout));
        Home = home;
        _npm = npm ?? new NpmCli();
        LockTimeout = t;
    }

    /// <summary>The cache this fetcher fills.</summary>
    public FaceprintHome Home { get; }

    /// <summary>How long to wait for another process pulling the same package.</summary>
    public TimeSpan LockTimeout { get; }

    /// <summary>
    /// Returns the folder holding <paramref name="source"/>'s wanted files (flattened by file name), pulling and
    /// verifying the package first unless the cache already has them.
    /// </summary>
    /// <param name="source">Package and files to make available.</param>
    /// <param name="log">Receives one-line progress messages.</param>
    /// <param name="cancellationToken">Stops the pull; the cache is left as it was or complete, never half-written.</param>
    /// <returns>The package folder, <c>packages/&lt;name&gt;@&lt;version&gt;/</c> under <see cref="Home"/>.</returns>
    /// <exception cref="FaceprintException">npm failed, the checksum did not match, or the tarball lacked a wanted file.</exception>
    public Task<string> EnsureAsync(NpmPackageSource source, IProgress<string>? log = null, CancellationToken cancellationToken = default) =>
        EnsureAsync(source, force: false, log, cancellationToken);

    /// <summary>
    /// As <see cref="EnsureAsync(NpmPackageSource, IProgress{string}?, CancellationToken)"/>; with
    /// <paramref name="force"/> the tarball is downloaded and extracted again even when the cache looks sound.
    /// </summary>
    /// <param name="source">Package and files to make available.</param>
    /// <param name="force">Redo the download and the extraction.</param>
    /// <param name="log">Receives one-line progress messages, including why a damaged folder is extracted again.</param>
    /// <param name="cancellationToken">Stops the pull; the cache is left as it was or complete, never half-written.</param>
    /// <returns>The package folder, <c>packages/&lt;name&gt;@&lt;version&gt;/</c> under <see cref="Home"/>.</returns>
    /// <exception cref="FaceprintException">npm failed, the checksum did not match, or the tarball lacked a wanted file.</exception>
    public async Task<string> EnsureAsync(NpmPackageSource source, bool force, IProgress<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var directory = Home.PackageDirectory(source);
        if (!force && await ProblemAsync(source, directory, cancellationToken).ConfigureAwait(false) is null)
            return directory;

        Directory.CreateDirectory(Home.DownloadsDirectory);
        Directory.CreateDirectory(Home.PackagesDirectory);
        var lockPath = Path.Combine(Home.PackagesDirectory, source.FolderName + ".lock");
        using (await CacheLock.AcquireAsync(
                   lockPath, LockTimeout, () => log?.Report($"waiting for another process pulling {source}"), cancellationToken)
               .ConfigureAwait(false))
        {
            // Whoever held the lock before may have just finished the same pull.
            var problem = await ProblemAsync(source, directory, cancellationToken).ConfigureAwait(false);
            if (!force && problem is null)
                return directory;
            var marker = Path.Combine(directory, MarkerFileName);
            if (force)
            {
                log?.Report($"pulling {source} again (--force)");
                File.Delete(Path.Combine(Home.DownloadsDirectory, source.TarballFileName));
            }
            else if (File.Exists(marker))
            {
                log?.Report($"re-extracting {source}: {problem}");
            }

            var tarball = await ObtainTarballAsync(source, log, cancellationToken).ConfigureAwait(false);

            // The old marker goes first: from here until the new one is written the folder is not trusted.
            Directory.CreateDirectory(directory);
            File.Delete(marker);
            var files = await TarballExtractor.ExtractAsync(tarball, source.Files, directory, cancellationToken).ConfigureAwait(false);
            var lines = new List<string> { source.Sha256 };
            foreach (var file in files)
                lines.Add($"{await Sha256Async(file, cancellationToken).ConfigureAwait(false)} {new FileInfo(file).Length} {Path.GetFileName(file)}");
            var temp = marker + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllLinesAsync(temp, lines, cancellationToken).ConfigureAwait(false);
            File.Move(temp, marker, overwrite: true);
            log?.Report($"extracted {files.Count} files of {source} to {directory}");
            return directory;
        }
    }

    /// <summary>
    /// Checks the extracted files of <paramref name="source"/> against the sizes and SHA-256s recorded at extraction,
    /// without changing anything.
    /// </summary>
    /// <returns>Null when every wanted file verifies, else why not (missing marker or file, size or checksum mismatch).</returns>
    public Task<string?> VerifyAsync(NpmPackageSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ProblemAsync(source, Home.PackageDirectory(source), cancellationToken);
    }

    /// <summary>Null when the marker records <paramref name="source"/>'s checksum and every wanted file matches its recorded size and SHA-256.</summary>
    private static async Task<string?> ProblemAsync(NpmPackageSource source, string directory, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(directory, MarkerFileName);
        string[] lines;
        try
        {
            if (!File.Exists(marker))
                return "not extracted";
            lines = await File.ReadAllLinesAsync(marker, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return $"cannot read {MarkerFileName}: {e.Message}";
        }
        if (lines.Length == 0 || lines[0].Trim() != source.Sha256)
            return "extracted from a different tarball";
        var recorded = new Dictionary<string, (string Sha256, long Size)>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && long.TryParse(parts[1], out var size))
                recorded[parts[2]] = (parts[0], size);
        }
        foreach (var name in source.Files.Select(NpmPackageSource.FileNameOf))
        {
            var path = Path.Combine(directory, name);
            if (!recorded.TryGetValue(name, out var expected))
                return $"no checksum recorded for {name}";
            if (!File.Exists(path))
                return $"{name} is missing";
            var size = new FileInfo(path).Length;
            if (size != expected.Size)
                return $"{name} has {size} bytes, {expected.Size} when extracted";
            // Hashing every time is cheap next to loading the model (a few MB), and catches a flipped bit a size check misses.
            if (await Sha256Async(path, cancellationToken).ConfigureAwait(false) != expected.Sha256)
                return $"{name} does not match the SHA-256 recorded when extracted";
        }
        return null;
    }

    /// <summary>Returns a verified tarball: one already downloaded if its checksum matches, else a fresh npm download.</summary>
    private async Task<string> ObtainTarballAsync(NpmPackageSource source, IProgress<string>? log, CancellationToken cancellationToken)
    {
        // Reusing a verified earlier download lets a deleted package folder be rebuilt without the network.
        var cached = Path.Combine(Home.DownloadsDirectory, source.TarballFileName);
        if (File.Exists(cached) && await Sha256Async(cached, cancellationToken).ConfigureAwait(false) == source.Sha256)
        {
            log?.Report($"using downloaded {cached}");
            return cached;
        }

        log?.Report($"downloading {source} with npm pack");
        var tarball = await _npm.PackAsync(source.Name, source.Version, Home.DownloadsDirectory, cancellationToken).ConfigureAwait(false);
        var actual = await Sha256Async(tarball, cancellationToken).ConfigureAwait(false);
        if (actual != source.Sha256)
        {
            // A tarball that fails its pin must not be picked up by a later run.
            File.Delete(tarball);
            throw new FaceprintException(
                $"checksum mismatch for {Path.GetFileName(tarball)}: expected {source.Sha256}, got {actual}");
        }
        log?.Report($"verified SHA-256 of {Path.GetFileName(tarball)}");
        return tarball;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }
}
