namespace Faceprint.Storage;

/// <summary>
/// Downloads a package tarball from the npm registry. An interface so tests (and offline setups) can supply
/// tarballs without a network; <see cref="NpmCli"/> is the real one.
/// </summary>
public interface INpmClient
{
    /// <summary>Downloads <c>name@version</c> as a <c>.tgz</c> into <paramref name="destinationDirectory"/>.</summary>
    /// <param name="name">npm package name.</param>
    /// <param name="version">Exact version.</param>
    /// <param name="destinationDirectory">Existing folder to write the tarball into.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>Full path of the downloaded tarball.</returns>
    /// <exception cref="FaceprintException">The download failed.</exception>
    Task<string> PackAsync(string name, string version, string destinationDirectory, CancellationToken cancellationToken);
}
