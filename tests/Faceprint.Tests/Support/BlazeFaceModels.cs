using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Storage;

namespace Faceprint.Tests.Support;

/// <summary>MediaPipe's BlazeFace files, pulled once per test run into the repository's ignored cache, and detectors on them.</summary>
internal static class BlazeFaceModels
{
    private static readonly Lazy<BlazeFaceModelPaths> Pulled = new(() =>
        DefaultModels.EnsureBlazeFaceAsync(new FaceprintHome(TestPaths.ModelHome)).GetAwaiter().GetResult());

    private static readonly Lazy<BlazeFaceDetector> Full = new(() => BlazeFaceDetector.Load(Paths.FullRange, BlazeFaceModel.FullRange, threads: 2));
    private static readonly Lazy<BlazeFaceDetector> Short = new(() => BlazeFaceDetector.Load(Paths.ShortRange, BlazeFaceModel.ShortRange, threads: 2));

    /// <summary>The two TFLite files.</summary>
    public static BlazeFaceModelPaths Paths => Pulled.Value;

    /// <summary>The TFLite file of <paramref name="model"/>.</summary>
    public static string PathOf(BlazeFaceModel model) => model == BlazeFaceModel.FullRange ? Paths.FullRange : Paths.ShortRange;

    /// <summary>A shared detector for <paramref name="model"/> (detectors are thread-safe).</summary>
    public static BlazeFaceDetector Detector(BlazeFaceModel model) => model == BlazeFaceModel.FullRange ? Full.Value : Short.Value;
}
