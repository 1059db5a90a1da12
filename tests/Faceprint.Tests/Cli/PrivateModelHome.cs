using Faceprint.Engine;
using Faceprint.Storage;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// A private cache home holding copies of the shared cache's converted models, both packages and their tarballs,
/// so a test can damage files without touching the shared cache and without a download.
/// </summary>
internal sealed class PrivateModelHome : IDisposable
{
    private readonly TempDirectory _temp = new();

    private PrivateModelHome() => Home = new FaceprintHome(_temp.Path);

    /// <summary>The private cache.</summary>
    public FaceprintHome Home { get; }

    /// <summary>The cache root, for <c>--home</c>.</summary>
    public string Root => Home.Root;

    /// <summary>Path of a converted model file, e.g. <c>mobilefacenet.fpm</c>.</summary>
    public string Model(string name) => Path.Combine(ModelsFolder, name);

    /// <summary>Path of an extracted file of the default models' package, e.g. <c>MobileFaceNet.tflite</c>.</summary>
    public string PackageFile(string name) => Path.Combine(Home.PackageDirectory(NpmPackageSource.ExpoFaceDetection), name);

    private string ModelsFolder => Path.Combine(Home.ModelsDirectory, Path.GetFileName(Path.GetDirectoryName(DefaultModelsFixture.Paths.Embedder)!));

    /// <summary>Copies the shared cache (made sound first, markers with per-file checksums) into a new private home.</summary>
    public static async Task<PrivateModelHome> CreateAsync()
    {
        var shared = new FaceprintHome(TestPaths.ModelHome);
        var result = new PrivateModelHome();
        CopyFiles(Path.GetDirectoryName(DefaultModelsFixture.Paths.Embedder)!, result.ModelsFolder, "*.fpm");
        foreach (var source in new[] { NpmPackageSource.ExpoFaceDetection, NpmPackageSource.MediaPipeFaceDetection })
        {
            string package = await new NpmPackageFetcher(shared).EnsureAsync(source);
            CopyFiles(package, result.Home.PackageDirectory(source), "*");
            Directory.CreateDirectory(result.Home.DownloadsDirectory);
            File.Copy(Path.Combine(shared.DownloadsDirectory, source.TarballFileName), Path.Combine(result.Home.DownloadsDirectory, source.TarballFileName));
        }
        return result;
    }

    /// <summary>Flips one byte near the end of <paramref name="path"/> (inside an .fpm's weight data), keeping its size.</summary>
    public static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Cuts <paramref name="path"/> to half its length.</summary>
    public static void Truncate(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    /// <inheritdoc />
    public void Dispose() => _temp.Dispose();

    private static void CopyFiles(string from, string to, string pattern)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, pattern))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
