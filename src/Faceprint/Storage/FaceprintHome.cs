namespace Faceprint.Storage;

/// <summary>
/// The cache folder where Faceprint keeps what it downloads and derives: npm tarballs, the files extracted from
/// them, and converted model files. Nothing here is created until something is written.
/// </summary>
public sealed class FaceprintHome
{
    /// <summary>Environment variable that overrides the cache root.</summary>
    public const string EnvironmentVariable = "FACEPRINT_HOME";

    /// <summary>Uses <paramref name="root"/> as the cache root (made absolute against the current directory).</summary>
    public FaceprintHome(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>
    /// The cache root chosen by the environment, read on every access: <c>$FACEPRINT_HOME</c> if set, else
    /// <c>$XDG_CACHE_HOME/faceprint</c>, else <c>~/.cache/faceprint</c>.
    /// </summary>
    public static FaceprintHome Default =>
        Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The cache root folder.</summary>
    public string Root { get; }

    /// <summary>Where downloaded tarballs are kept (<c>downloads/</c>).</summary>
    public string DownloadsDirectory => Path.Combine(Root, "downloads");

    /// <summary>Where tarball contents are extracted, one folder per package version (<c>packages/</c>).</summary>
    public string PackagesDirectory => Path.Combine(Root, "packages");

    /// <summary>Where converted engine model files are kept (<c>models/</c>).</summary>
    public string ModelsDirectory => Path.Combine(Root, "models");

    /// <summary>The folder holding the extracted files of <paramref name="source"/>: <c>packages/&lt;name&gt;@&lt;version&gt;/</c>.</summary>
    public string PackageDirectory(NpmPackageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Path.Combine(PackagesDirectory, source.FolderName);
    }

    /// <summary>The resolution behind <see cref="Default"/>, with the environment and home folder passed in so tests need not mutate the process.</summary>
    internal static FaceprintHome Resolve(Func<string, string?> getEnvironmentVariable, string? userProfile)
    {
        var explicitRoot = getEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitRoot))
            return new FaceprintHome(explicitRoot);

        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        var xdg = getEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            return new FaceprintHome(Path.Combine(xdg, "faceprint"));

        if (string.IsNullOrWhiteSpace(userProfile))
            throw new FaceprintException($"cannot locate a cache folder (no home directory): set {EnvironmentVariable}");
        return new FaceprintHome(Path.Combine(userProfile, ".cache", "faceprint"));
    }

    /// <inheritdoc />
    public override string ToString() => Root;
}
