namespace Faceprint.Tests.Support;

/// <summary>Locations the tests read: the repository, its ignored model cache, and the shared fixture photos.</summary>
internal static class TestPaths
{
    /// <summary>Repository root (the folder holding Faceprint.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Model cache for tests, under the repository's ignored .cache folder, so CI pulls once per clone.</summary>
    public static string ModelHome => Path.Combine(RepoRoot, ".cache", "faceprint");

    /// <summary>The photo fixtures (../shared/fixtures beside the repository).</summary>
    public static string Fixtures => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures"));

    /// <summary>A fixture file by its path relative to the fixtures folder.</summary>
    public static string Fixture(string relative) => Path.Combine(Fixtures, relative);

    /// <summary>Folder for files a person may want to look at after a run (overlays, plots).</summary>
    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(RepoRoot, "artifacts", "tests");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Faceprint.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Faceprint.slnx) not found above " + AppContext.BaseDirectory);
    }
}
