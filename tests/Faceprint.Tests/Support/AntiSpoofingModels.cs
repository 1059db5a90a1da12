using Faceprint.Liveness;
using Faceprint.Storage;

namespace Faceprint.Tests.Support;

/// <summary>The default package's anti-spoofing TFLite file, pulled once per test run into the repository's ignored cache, and a scorer on it.</summary>
internal static class AntiSpoofingModels
{
    private static readonly Lazy<string> Pulled = new(() =>
        AntiSpoofingModel.EnsureAsync(new FaceprintHome(TestPaths.ModelHome)).GetAwaiter().GetResult());

    private static readonly Lazy<AntiSpoofingScorer> Shared = new(() => AntiSpoofingScorer.Load(Path, threads: 2));

    /// <summary>Path of <c>FaceAntiSpoofing.tflite</c>.</summary>
    public static string Path => Pulled.Value;

    /// <summary>A shared scorer (scorers are thread-safe).</summary>
    public static AntiSpoofingScorer Scorer => Shared.Value;
}
